"""An injection every few months through the real application: no daily reminder, a word on
each due date at 10:00 her time (across a clock change and six months), Given noted in her
history, nothing while it is paused or after it is stopped."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services import Services
from bot.trial.recording_request import RecordingRequest
from db import events, medicines
from tests.support import Move, Person, en
from tests.test_medicines import ANNA, add, buttons_of


def prompts(layer: RecordingRequest, since: int = 0) -> list[dict[str, object]]:
    return [
        c.params
        for c in layer.calls[since:]
        if c.method == "sendMessage" and "💉" in str(c.params.get("text"))
    ]


async def denosumab(anna: Person) -> int:
    """Anna in London, an injection every 6 months from 15 April 2026 (today is 2 March)."""
    await anna.send("/timezone Europe/London")
    await add(anna, "Denosumab", "every_months", "6", "2026-04-15")
    [medicine] = medicines.listed(anna.app.bot_data["services"].db, ANNA)
    return medicine.id


async def test_a_word_on_each_due_date_and_given_is_noted(
    anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    await denosumab(anna)
    assert not any(e.kind == "meds" for e in events.for_chat(services.db, ANNA))
    await move(datetime(2026, 4, 15, 8, 59, tzinfo=UTC))  # 09:59 BST: not yet
    assert prompts(request_layer) == []
    await move(datetime(2026, 4, 15, 9, 0, tzinfo=UTC))  # 10:00 in London (summer time)
    [prompt] = prompts(request_layer)
    assert prompt["text"] == en("medicines_injection_due", name="Denosumab")
    said = await anna.press(buttons_of(prompt)["✅ Given"])
    assert said[-1].startswith("✅ Noted: <b>Denosumab</b>")
    history = (await anna.press("meds:history"))[-1]
    assert "15 April 2026" in history and "Denosumab" in history
    since = len(request_layer.calls)
    await move(datetime(2026, 10, 15, 8, 59, tzinfo=UTC))
    assert prompts(request_layer, since) == []  # one word per due date, nothing between
    await move(datetime(2026, 10, 15, 9, 0, tzinfo=UTC))
    assert len(prompts(request_layer, since)) == 1


async def test_paused_or_stopped_it_says_nothing(
    anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    medicine = await denosumab(anna)
    await anna.press(f"meds:pause:{medicine}")
    await move(datetime(2026, 4, 16, 12, 0, tzinfo=UTC))
    assert prompts(request_layer) == []
    await anna.press(f"meds:resume:{medicine}")
    await anna.press(f"meds:stop:{medicine}")
    await anna.press(f"meds:stopyes:{medicine}")
    await move(datetime(2026, 10, 16, 12, 0, tzinfo=UTC))
    assert prompts(request_layer) == []
    assert not any(e.kind == "meds_injection" for e in events.for_chat(services.db, ANNA))


async def test_checkups_list_it_with_its_next_date(anna: Person) -> None:
    await denosumab(anna)
    [listed] = await anna.send("/checkups")
    assert en("checkups_injection", name="Denosumab", due="15 April 2026") in listed
