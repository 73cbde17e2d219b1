"""Privacy at the file level: what /delete and the daily purge remove is gone from the bytes
of bot.db and bot.db-wal, the files are private whatever the umask, and backups rotate."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import __main__ as entry
from bot import retention
from bot.operations import rotate, run_backup
from bot.services import Services
from bot.settings import Settings
from db.store import open_database
from tests.support import Person

NOTE = "Quokka-marmalade knees 7731"  # planted: found nowhere after the delete
NAME = "Zelphinia"


def on_disk(path: Path) -> bytes:
    """The database and its write-ahead log, as bytes (what a copy of the folder holds)."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual umask (022): files are world-readable unless the code says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


async def test_a_deleted_note_and_name_are_in_neither_the_database_nor_its_log(
    anna: Person, settings: Settings
) -> None:
    zel = Person(anna.app, anna.request, chat_id=4242, first_name=NAME)
    await zel.send("/log")
    await zel.press("diary:rate:joints:2")
    await zel.send(NOTE)
    assert NOTE.encode() in on_disk(settings.database_path)
    await zel.send("/delete")
    await zel.press(zel.buttons()["🗑 Delete everything"])
    await anna.send("/start")  # one more write after the delete
    await anna.send("/remind 8:00")
    found = on_disk(settings.database_path)
    assert NOTE.encode() not in found
    assert NAME.encode() not in found


async def test_the_daily_purge_leaves_no_copy_in_the_log(
    anna: Person, services: Services, settings: Settings
) -> None:
    await anna.send("/start")
    token = "purged-invitation-hash-5521"
    services.db["invitations"].insert(
        {"token_hash": token, "patient": anna.chat_id, "created_at": 0, "expires_at": 1}
    )
    assert token.encode() in on_disk(settings.database_path)
    assert await retention.purge(services) == (0, 1)
    await anna.send("/remind 8:00")  # one more write after the purge
    assert token.encode() not in on_disk(settings.database_path)


@pytest.mark.usefixtures("loose_umask")
def test_the_folder_is_0700_and_the_database_and_its_log_0600(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.db"
    path.parent.mkdir()
    path.parent.chmod(0o755)  # as an older version left it
    db = open_database(path)
    db.execute("CREATE TABLE scratch (x)")  # a write: the log and its index exist
    assert mode(path.parent) == 0o700
    for file in (path, path.with_name("bot.db-wal"), path.with_name("bot.db-shm")):
        assert mode(file) == 0o600, file
    db.close()


@pytest.mark.usefixtures("loose_umask")
def test_a_backup_is_0600_and_the_process_sets_umask_077(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "bot.db"
    open_database(source).close()
    run_backup(source, tmp_path / "backups" / "backup-2026-03-01.db")
    assert mode(tmp_path / "backups" / "backup-2026-03-01.db") == 0o600
    monkeypatch.setenv("DATABASE_PATH", str(source))
    assert entry.main(["backup", str(tmp_path / "backup-2026-03-02.db")]) == 0
    assert os.umask(0o022) == 0o077  # what main() left
    assert mode(tmp_path / "backup-2026-03-02.db") == 0o600


def test_backups_rotate_to_the_newest_n_and_never_touch_the_database(tmp_path: Path) -> None:
    source = tmp_path / "bot.db"
    open_database(source).close()
    for day in range(1, 6):
        target = tmp_path / f"backup-2026-03-0{day}.db"
        line = run_backup(source, target, keep=3)
        os.utime(target, (day * 1000, day * 1000))  # one a day
    assert "removed, 3 kept" in line
    (tmp_path / "notes-2026.txt").write_text("not a backup")
    rotate(source, tmp_path / "backup-2026-03-06.db", keep=2)
    left = sorted(p.name for p in tmp_path.iterdir())
    backups = [name for name in left if name.startswith("backup-")]
    assert backups == ["backup-2026-03-04.db", "backup-2026-03-05.db"]
    assert "bot.db" in left and "notes-2026.txt" in left
    with pytest.raises(ValueError, match="at least 1"):
        rotate(source, tmp_path / "backup-2026-03-06.db", keep=0)
