"""/export and /delete through the real application: Petra is a patient with reminders,
doses, check-ups, a course and two caregivers (Carol and Dave); Carol also follows Olga."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from bot import scheduler
from bot.app import App
from bot.pure.timerules import epoch
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import account, events, people
from db import caregivers as links
from handlers.caregivers.planning import KINDS
from tests.support import Person, en

# Distinctive ids: a scan for the digits can't mistake a timestamp or a count for them.
PETRA, CAROL, DAVE, OLGA = 987654321, 55501234, 55505678, 55509999
DAY = "2026-03-03"  # her first reminder: 08:30 in Berlin = 07:30 UTC


NAMES = {PETRA: "Petra", CAROL: "Carol", DAVE: "Dave", OLGA: "Olga"}
Someone = Callable[[int], Person]


@pytest.fixture
def someone(app: App, request_layer: RecordingRequest) -> Someone:
    return lambda chat_id: Person(app, request_layer, chat_id=chat_id, first_name=NAMES[chat_id])


@pytest.fixture
def petra(someone: Someone) -> Person:
    return someone(PETRA)


@pytest.fixture
def carol(someone: Someone) -> Person:
    return someone(CAROL)


async def follow(patient: Person, caregiver: Person) -> None:
    [invitation] = await patient.send("/invite")
    payload = re.search(r"start=(care-[A-Za-z0-9_-]+)", invitation)
    assert payload is not None
    await caregiver.send(f"/start {payload[1]}")
    await caregiver.press(caregiver.buttons()["✅ Accept"])


def sent(person: Person, since: int) -> list[str]:
    """Messages the bot sent to this person's chat since a call index."""
    return [p["text"] for m, p in person.calls_since(since) if m == "sendMessage"]


async def tick_at(app: App, services: Services, clock: FakeClock, when: datetime) -> None:
    clock.set(when)
    await scheduler.tick(app.bot, services)


@pytest.fixture
async def world(
    app: App,
    services: Services,
    clock: FakeClock,
    someone: Someone,
) -> None:
    """Petra uses everything; her dose of DAY was alerted to Carol and Dave, then taken."""
    petra, carol, dave, olga = (someone(chat_id) for chat_id in NAMES)
    for patient in (petra, olga):
        await patient.send("/timezone Europe/Berlin")
        await patient.send("/remind 8:30")
    await petra.send("/pills 30")
    await petra.send("/bonescan 2025-01-10")
    await petra.send("/cholesterol 2025-09-15")
    await petra.send("/started 2025-01-26")
    await follow(petra, carol)
    await follow(petra, dave)
    await follow(olga, carol)
    await petra.press("caregivers:delay:60")
    await petra.send("/invite")  # one invitation still open
    await tick_at(app, services, clock, datetime(2026, 3, 3, 7, 30, tzinfo=UTC))  # reminders
    await tick_at(app, services, clock, datetime(2026, 3, 3, 8, 31, tzinfo=UTC))  # alerts
    await petra.press(f"rem:take:{DAY}")
    await tick_at(app, services, clock, datetime(2026, 3, 3, 8, 32, tzinfo=UTC))  # after all
    await petra.press("diary:checkin:on")
    await petra.press("diary:rate:joints:2")
    await petra.send("stiff knees in the morning")


def exported(person: Person, since: int) -> tuple[str, dict[str, Any]]:
    [(filename, data)] = [
        (name, data)
        for method, params in person.calls_since(since)
        if method == "sendDocument"
        for name, data, _mime in [params["_files"]["document"]]
        if name.endswith(".json")
    ]
    assert filename.startswith(f"my-anastrozole-data-{person.first_name}-2026-")
    return data.decode(), json.loads(data)


async def export_of(person: Person) -> tuple[str, dict[str, Any]]:
    since = len(person.request.calls)
    await person.send("/export")
    return exported(person, since)


# --- export -------------------------------------------------------------------------------
@pytest.mark.usefixtures("world")
async def test_export_holds_everything_about_her(petra: Person) -> None:
    text, data = await export_of(petra)
    assert data["person"]["first_name"] == "Petra"
    assert data["person"]["timezone"] == "Europe/Berlin"
    assert data["person"]["remind_at"] == "08:30"
    assert data["reminder_settings"]["pills"] == 29  # one taken
    [dose] = data["doses"]
    assert (dose["local_date"], dose["status"]) == (DAY, "taken")
    assert dose["answered_at"] == "2026-03-03T08:31:00+00:00"
    assert {e["kind"] for e in data["scheduled"]} >= {"dose", "checkup_prompt", "anniversary"}
    assert any(d["kind"] == "dose" and d["occurrence"] == DAY for d in data["deliveries"])
    checks = {c["name"]: c for c in data["checks"]}
    assert checks["bonescan"]["last_date"] == "2025-01-10"
    assert checks["cholesterol"]["last_date"] == "2025-09-15"
    assert data["course"] == {"chat_id": PETRA, "started": "2025-01-26", "years": 5}
    assert [c["name"] for c in data["caregivers"]] == ["Carol", "Dave"]
    assert data["caregivers"][0]["missed_dose"] == 1 and data["caregivers"][0]["diary"] == 0
    assert data["caregiver_alert_delay_minutes"] == 60
    assert len(data["invitations"]) == 3
    assert [i["used_at"] is None for i in data["invitations"]] == [False, False, True]
    assert data["following"] == []
    assert "token_hash" not in text and "used_by" not in text
    for other in (CAROL, DAVE, OLGA):
        assert str(other) not in text  # of others: first names only


@pytest.mark.usefixtures("world")
async def test_a_caregivers_export_names_her_patients_and_nothing_more(carol: Person) -> None:
    text, data = await export_of(carol)
    assert data["following"] == [{"name": "Petra"}, {"name": "Olga"}]
    assert data["caregivers"] == [] and data["doses"] == [] and data["checks"] == []
    kinds = {row["kind"] for row in data["scheduled"] + data["deliveries"]}
    assert not kinds & set(KINDS)  # her alerts are about Petra and Olga: not hers to export
    for other in (PETRA, DAVE, OLGA):
        assert str(other) not in text
    assert "Europe/Berlin" not in text  # Petra's settings stay hers


async def test_export_of_someone_new_is_almost_empty(petra: Person) -> None:
    _, data = await export_of(petra)
    assert data["person"]["first_name"] == "Petra"
    assert data["doses"] == [] and data["course"] is None and data["caregivers"] == []


def test_exactly_the_caregiver_kinds_count_as_about_a_patient(services: Services) -> None:
    """Rows of these kinds are hidden from a caregiver's export and go with the patient."""
    about = {
        name
        for name in services.kinds
        if next(
            services.db.query("SELECT ? LIKE ? ESCAPE '\\' AS hit", [name, links.ABOUT_A_PATIENT])
        )["hit"]
    }
    assert about == set(KINDS)


# --- deletion -----------------------------------------------------------------------------
def data_tables(db: Database) -> list[str]:
    """Every table of the file, except the migrations' own and full-text index tables."""
    rows = list(db.query("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    virtual = [r["name"] for r in rows if "VIRTUAL TABLE" in (r["sql"] or "").upper()]
    return [
        r["name"]
        for r in rows
        if r["name"] != "_sqlite_migrations"
        and not r["name"].startswith("sqlite_")
        and not any(r["name"] == v or r["name"].startswith(v + "_") for v in virtual)
    ]


def mentions(db: Database, chat_id: int) -> dict[str, list[str]]:
    """Table -> columns holding her id: equal to it (chat_id, patient, caregiver, any
    INTEGER column), or with its digits inside a text (a ledger key, a `ref`)."""
    found: dict[str, list[str]] = {}
    for table in data_tables(db):
        for column in db[table].columns:
            sql = (
                f'SELECT 1 FROM "{table}" WHERE "{column.name}" = ?'
                f' OR CAST("{column.name}" AS TEXT) LIKE ? LIMIT 1'
            )
            if next(db.query(sql, [chat_id, f"%{chat_id}%"]), None):
                found.setdefault(table, []).append(column.name)
    return found


async def confirm_delete(person: Person) -> list[str]:
    await person.send("/delete")
    return await person.press(person.buttons()["🗑 Delete everything"])


@pytest.mark.usefixtures("world")
async def test_delete_leaves_no_row_about_her_in_any_table(
    petra: Person, services: Services
) -> None:
    before = mentions(services.db, PETRA)
    assert set(before) >= {
        "people", "doses", "events", "ledger", "reminder_prefs", "checks", "courses",
        "caregiver_links", "invitations", "caregiver_alert_delays",
        "diary_entries", "diary_settings",
    }  # fmt: skip
    assert "ledger" in mentions(services.db, CAROL)  # Carol's alerts name Petra in `ref`
    texts = await confirm_delete(petra)
    assert en("account_deleted") in texts
    assert any("/start begins anew" in t for t in texts)
    assert mentions(services.db, PETRA) == {}


@pytest.mark.usefixtures("world")
async def test_alerts_kept_by_a_former_caregiver_go_too(
    petra: Person, carol: Person, services: Services
) -> None:
    await carol.press(f"caregivers:unsub:{PETRA}")
    assert links.get_link(services.db, PETRA, CAROL) is None
    about_her = "SELECT COUNT(*) AS n FROM ledger WHERE chat_id = ? AND ref LIKE ?"
    [before] = services.db.query(about_her, [CAROL, f"{PETRA}%"])
    assert before["n"] == 2  # the missed-dose alert and "taken after all" still name her
    await confirm_delete(petra)
    assert mentions(services.db, PETRA) == {}


def test_the_scan_catches_a_table_that_forgets_her(tmp_path: Path) -> None:
    """A future feature's table left out of db/account.py OWNERS fails the test above."""
    from db.store import open_database

    db = open_database(tmp_path / "scan.db")
    db.execute("CREATE TABLE diary (patient INTEGER, note TEXT)")
    db.execute("INSERT INTO diary VALUES (?, 'tired')", [PETRA])
    account.forget(db, PETRA)
    assert mentions(db, PETRA) == {"diary": ["patient"]}


@pytest.mark.parametrize(
    ("leaver", "told", "untold", "notice"),
    [
        (PETRA, (CAROL, DAVE), OLGA, "Petra has stopped using this bot"),  # a patient
        (CAROL, (PETRA, OLGA), DAVE, "Carol has stopped using this bot"),  # a caregiver
    ],
)
@pytest.mark.usefixtures("world")
async def test_each_linked_person_is_told_the_link_ended_and_nothing_more(
    someone: Someone,
    request_layer: RecordingRequest,
    services: Services,
    leaver: int,
    told: tuple[int, ...],
    untold: int,
    notice: str,
) -> None:
    since = len(request_layer.calls)
    await confirm_delete(someone(leaver))
    for other in told:
        [text] = sent(someone(other), since)
        assert notice in text
        assert not re.search(r"dose|tablet|missed|scan|taken|check", text, re.I)
    assert sent(someone(untold), since) == []
    assert mentions(services.db, leaver) == {}
    remaining = {(link.patient, link.caregiver) for link in links.patients_of(services.db, CAROL)}
    assert remaining == ({(OLGA, CAROL)} if leaver == PETRA else set())


@pytest.mark.usefixtures("world")
async def test_everyone_else_carries_on(
    app: App,
    services: Services,
    clock: FakeClock,
    petra: Person,
    carol: Person,
    someone: Someone,
) -> None:
    olga = someone(OLGA)
    olga_before = mentions(services.db, OLGA)
    await confirm_delete(petra)
    assert mentions(services.db, OLGA) == olga_before
    [card] = await carol.send("/following")
    assert "Olga" in card and "Petra" not in card
    since = len(olga.request.calls)
    await tick_at(app, services, clock, datetime(2026, 3, 4, 7, 30, tzinfo=UTC))
    [reminder] = sent(olga, since)
    assert "tablet" in reminder
    assert sent(petra, since) == []  # her reminders stopped
    assert events.for_chat(services.db, PETRA) == []


@pytest.mark.usefixtures("world")
async def test_start_after_deletion_begins_fresh(petra: Person, services: Services) -> None:
    await confirm_delete(petra)
    assert people.get(services.db, PETRA) is None
    texts = await petra.send("/start")
    assert "Hello Petra" in texts[0]
    fresh = people.get(services.db, PETRA)
    assert fresh is not None and fresh.timezone is None and fresh.remind_at is None
    _, data = await export_of(petra)
    assert data["doses"] == [] and data["checks"] == [] and data["caregivers"] == []
    assert data["course"] is None and data["reminder_settings"] is None


async def test_keep_my_data_deletes_nothing(petra: Person, services: Services) -> None:
    await petra.send("/remind 8:30")
    await petra.send("/delete")
    texts = await petra.press(petra.buttons()["Keep my data"])
    assert any("Nothing was deleted" in t for t in texts)
    person_row = people.get(services.db, PETRA)
    assert person_row is not None and person_row.remind_at == "08:30"


@pytest.mark.parametrize(
    "forge",
    [
        lambda now: f"account:delete:{CAROL}:{now}",  # another chat's button
        lambda now: f"account:delete:{PETRA}:{now - 11 * 60}",  # stale
        lambda now: f"account:delete:{PETRA}:{now + 60}",  # from the future
        lambda now: f"account:delete:{PETRA}",
        lambda now: f"account:delete:{PETRA}:{now}:x",
        lambda now: "account:delete:abc:1",
        lambda now: "account:nuke",
    ],
)
async def test_forged_or_stale_buttons_delete_nothing(
    petra: Person, carol: Person, services: Services, forge: Any
) -> None:
    await petra.send("/remind 8:30")
    await carol.send("/remind 9:00")
    texts = await petra.press(forge(epoch(services.clock.now())))
    assert texts == [services.text(PETRA, "button_expired")]
    assert people.get(services.db, PETRA) is not None
    assert people.get(services.db, CAROL) is not None
    assert events.find(services.db, PETRA, "dose") is not None
    assert events.find(services.db, CAROL, "dose") is not None


async def test_a_delete_button_works_for_ten_minutes(
    petra: Person, clock: FakeClock, services: Services
) -> None:
    await petra.send("/remind 8:30")
    await petra.send("/delete")
    button = petra.buttons()["🗑 Delete everything"]
    clock.advance(timedelta(minutes=11))
    await petra.press(button)
    assert events.find(services.db, PETRA, "dose") is not None
    await petra.send("/delete")
    clock.advance(timedelta(minutes=9))
    await petra.press(petra.buttons()["🗑 Delete everything"])
    assert mentions(services.db, PETRA) == {}


async def test_a_notice_that_cannot_arrive_does_not_stop_the_deletion(
    petra: Person, carol: Person, services: Services, request_layer: RecordingRequest
) -> None:
    await follow(petra, carol)
    await petra.send("/delete")
    request_layer.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    texts = await petra.press(petra.buttons()["🗑 Delete everything"])
    assert any("has been deleted" in t for t in texts)
    assert mentions(services.db, PETRA) == {}


async def test_logs_carry_no_data(petra: Person, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")  # LOG_LEVEL at its default
    await petra.send("/started 2025-01-26")
    await petra.send("/export")
    await confirm_delete(petra)
    assert "2025-01-26" not in caplog.text and "Petra" not in caplog.text
    assert str(PETRA) not in caplog.text


async def test_help_lists_the_account_commands(petra: Person) -> None:
    text = await petra.help_everything()
    assert "<b>Your data</b>\n/export" in text and "/delete" in text


async def test_her_files_are_named_for_her_in_her_language(
    app: App, request_layer: RecordingRequest
) -> None:
    """Her export, her calendar and her chart, named in her language with her name: six
    names, none the same."""
    named: list[str] = []
    for person in (
        Person(app, request_layer, chat_id=7007, first_name="Mary Ann"),
        Person(app, request_layer, chat_id=8008, first_name="Ольга", language_code="ru"),
    ):
        await person.send("/remind 08:00")
        since = len(request_layer.calls)
        for command in ("/export", "/calendar", "/chart"):
            await person.send(command)
        named += [
            params["_files"][kind][0]
            for method, params in person.calls_since(since)
            for kind in ("document", "photo")
            if kind in params.get("_files", {})
        ]
    assert len(named) == len(set(named)) == 6  # the JSON, the .ics and the .png each
    assert "my-anastrozole-data-Mary-Ann-2026-03-02.json" in named
    assert "календарь-анастрозол-Ольга-2026-03-02.ics" in named
    assert "график-анастрозол-30-дней-Ольга-2026-03-02.png" in named
