"""Her other medicines' use cases: the guided add (and change) flow, the list, pausing and
stopping, and keeping one scheduler event per local time of hers in step with her list.
The database and the rules (bot/pure/medschedule.py), no Telegram."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from bot.core import Core, label
from bot.pure.alendronic import is_alendronic, too_soon_after
from bot.pure.dates import DateProblem, parse_day, show
from bot.pure.medschedule import (
    EVERY_DAYS,
    EVERY_MONTHS,
    Daily,
    EveryNMonths,
    Schedule,
    ScheduleError,
    Timed,
    Weekly,
    from_json,
    next_at,
    parse_times,
    parse_weekdays,
    read,
    weekdays_in,
)
from bot.pure.parsing import format_time, parse_time
from bot.pure.timerules import epoch, local_date
from bot.pure.words import her_words
from db import events, medicines, people
from db.medicines import NAME_LIMIT, Dose, Medicine
from handlers.medicines import injections

ADD = "meds_add"  # what her next plain text answers (registry.on_reply)
SLOT = "meds"  # the event kind of one local time of hers (ref "HH:MM")
PACK_MOST = 999  # tablets she may say she has: more is a typing slip

# What each kind of schedule asks after its button, in order; then it is saved.
STEPS: dict[str, tuple[str, ...]] = {
    "daily": ("times",),
    "weekly": ("weekdays", "times"),
    "every_days": ("every", "start", "times"),
    "monthly": ("day", "times"),
    "every_months": ("months", "start"),
    "as_needed": (),
}
FIELDS = {"day": "day_of_month"}  # the schedule's field a step fills, when not its own name
# The number a kind's typed words may name ("every 3 days"), the field it fills, its range.
NUMBERED = {
    "every_days": ("every", EVERY_DAYS),
    "every_months": ("months", EVERY_MONTHS),
    "monthly": ("day_of_month", (1, 31)),
}
SHORT_ANSWER = 6  # words: a longer text at a typed step is a question for the guide


def today(services: Core, chat_id: int) -> date:
    return local_date(services.clock.now(), services.zone(chat_id))


def schedule_of(medicine: Medicine) -> Schedule | None:
    """Its schedule, or None for a damaged one (never scheduled)."""
    try:
        return from_json(medicine.schedule)
    except ScheduleError:
        return None


# --- the guided flow ---------------------------------------------------------------------
def clean_name(typed: str) -> str | None:
    """Her medicine's name as she typed it, any script; control, format and direction
    characters dropped (Unicode category C), spaces squeezed; None when nothing is left or
    it is too long."""
    kept = "".join(c for c in typed if not unicodedata.category(c).startswith("C"))
    name = " ".join(kept.split())
    return name if 0 < len(name) <= NAME_LIMIT and not name.startswith("/") else None


def start(services: Core, chat_id: int, name: str | None, medicine: int | None = None) -> None:
    """Open the flow: ask the name (none given) or the kind of schedule."""
    state: dict[str, Any] = {
        "kind": ADD,
        "since": epoch(services.clock.now()),
        "step": "kind" if name else "name",
        "name": name,
        "medicine": medicine,
        "draft": {},
    }
    people.set_awaiting(services.db, chat_id, state)


def state_of(services: Core, chat_id: int) -> dict[str, Any] | None:
    """Her open flow, or None (a damaged one is closed: it could only answer wrongly)."""
    person = people.get(services.db, chat_id)
    awaiting = person.awaiting if person else None
    if not awaiting or awaiting.get("kind") != ADD:
        return None
    if not _sound(awaiting):
        stop_waiting(services, chat_id)
        return None
    return awaiting


def _sound(state: dict[str, Any]) -> bool:
    """The shape `start`, `choose_kind` and `answer` write."""
    step, name, draft = state.get("step"), state.get("name"), state.get("draft")
    if not isinstance(draft, dict) or not isinstance(state.get("medicine"), int | None):
        return False
    if step == "name":
        return name is None
    if not isinstance(name, str) or not name:
        return False
    kind = draft.get("kind")
    return step in ("kind", "pack") or (kind in STEPS and step in STEPS[kind])


def stop_waiting(services: Core, chat_id: int) -> None:
    people.set_awaiting(services.db, chat_id, None)


def choose_kind(services: Core, chat_id: int, kind: str) -> dict[str, Any] | None:
    """A kind button pressed during the flow: the state with its first step (None: no flow,
    the button is stale)."""
    state = state_of(services, chat_id)
    if state is None or not state.get("name"):
        return None
    state.update(step=_next_step(kind, {}), draft={"kind": kind}, since=epoch(services.clock.now()))
    people.set_awaiting(services.db, chat_id, state)
    return state


def is_answer(services: Core, state: dict[str, Any], typed: str) -> bool:
    """Whether her text answers the open step: never a question ("?"); any name; at the
    other steps a few words, or how often she takes it in words ("I take it once a week
    on Sundays")."""
    if "?" in typed:
        return False
    if state["step"] == "name" or len(typed.split()) <= SHORT_ANSWER:
        return True
    return state["step"] == "kind" and _how_often(services, typed) is not None


def _how_often(services: Core, typed: str) -> tuple[str, int | None] | None:
    return her_words(services.settings.content_path).how_often(typed)


def _typed_kind(
    services: Core, chat_id: int, state: dict[str, Any], typed: str
) -> tuple[str, bool]:
    """How often, typed instead of tapped ("every 3 days", "раз в полгода"): as its button,
    with what else it said (the number of days or months, the day of the month, the
    weekdays) filled in; not understood, the question again (with its buttons)."""
    said = _how_often(services, typed)
    if said is None:
        return services.text(chat_id, "medicines_tap_a_kind", name=state.get("name", "")), True
    kind, number = said
    draft: dict[str, Any] = {"kind": kind}
    field, (low, high) = NUMBERED.get(kind, ("", (1, 0)))
    if number is not None and low <= number <= high:
        draft[field] = number
    if kind == "weekly" and (days := weekdays_in(typed)):
        draft["weekdays"] = sorted(days)
    understood = html.escape(label(services, chat_id, f"medicines_kind_{kind}"))
    text, going_on = _go_on(services, chat_id, state, draft)
    return f"<b>{understood}</b>\n{text}", going_on


def _next_step(kind: str, draft: dict[str, Any]) -> str:
    """The first step of `kind` still unanswered in `draft`, or "save"."""
    return next((s for s in STEPS[kind] if FIELDS.get(s, s) not in draft), "save")


Parsed = tuple[str, Any] | str  # (draft field, value), or the text saying why not


def whole_number(typed: str, low: int, high: int) -> bool:
    """Digits only (a few: Python refuses to read thousands), within [low, high]."""
    typed = typed.strip()
    return typed.isdecimal() and len(typed) <= 6 and low <= int(typed) <= high


def _number(services: Core, chat_id: int, typed: str, field: str, low: int, high: int) -> Parsed:
    if whole_number(typed, low, high):
        return field, int(typed)
    return services.text(chat_id, f"medicines_bad_{field}", low=low, high=high)


def _start(services: Core, chat_id: int, typed: str) -> Parsed:
    now = today(services, chat_id)
    found = parse_day(typed, now, "future", services.names(chat_id))
    if isinstance(found, DateProblem):
        reason = "unreadable" if found.reason == "month" else found.reason
        return services.text(
            chat_id, f"medicines_date_{reason}", example=show(now, services.names(chat_id))
        )
    return "start", found.isoformat()


def _times(services: Core, chat_id: int, typed: str) -> Parsed:
    found = parse_times(typed)
    if found is None:
        return services.text(chat_id, "medicines_bad_times")
    return "times", [format_time(t) for t in found]


def _weekdays(services: Core, chat_id: int, typed: str) -> Parsed:
    found = parse_weekdays(typed)
    if found is None:
        return services.text(chat_id, "medicines_bad_weekdays")
    return "weekdays", sorted(found)


READERS: dict[str, Callable[[Core, int, str], Parsed]] = {
    "times": _times,
    "weekdays": _weekdays,
    "every": lambda s, c, t: _number(s, c, t, "every", *EVERY_DAYS),
    "day": lambda s, c, t: _number(s, c, t, "day_of_month", 1, 31),
    "months": lambda s, c, t: _number(s, c, t, "months", *EVERY_MONTHS),
    "start": _start,
}


def answer(services: Core, chat_id: int, state: dict[str, Any], typed: str) -> tuple[str, bool]:
    """Her typed answer to the open step: (what to say, whether the flow goes on). A bad
    answer is explained and the step stays open: nothing she gave is lost."""
    step = state["step"]
    if step == "name":
        name = clean_name(typed)
        if name is None:
            return services.text(chat_id, "medicines_bad_name", limit=NAME_LIMIT), True
        state.update(name=name, step="kind")
        people.set_awaiting(services.db, chat_id, state)
        return services.text(chat_id, "medicines_ask_kind", name=name), True
    if step == "pack":
        return _pack(services, chat_id, state, typed)
    if step not in READERS:
        return _typed_kind(services, chat_id, state, typed)
    parsed = READERS[step](services, chat_id, typed)
    if isinstance(parsed, str):
        return parsed, True
    field, value = parsed
    return _go_on(services, chat_id, state, {**state["draft"], field: value})


def _go_on(
    services: Core, chat_id: int, state: dict[str, Any], draft: dict[str, Any]
) -> tuple[str, bool]:
    """The next step's question, or the saved medicine once nothing is left to ask."""
    step = _next_step(draft["kind"], draft)
    if step != "save":
        state.update(draft=draft, step=step, since=epoch(services.clock.now()))
        people.set_awaiting(services.db, chat_id, state)
        return ask(services, chat_id, step), True
    return save(services, chat_id, state, draft), False


def ask_pack(services: Core, chat_id: int, medicine: Medicine) -> str:
    """Open the question of how many tablets she has of one medicine."""
    start(services, chat_id, medicine.name, medicine.id)
    state = state_of(services, chat_id)
    assert state is not None
    people.set_awaiting(services.db, chat_id, {**state, "step": "pack"})
    return services.text(chat_id, "medicines_ask_pack", name=medicine.name, most=PACK_MOST)


def _pack(services: Core, chat_id: int, state: dict[str, Any], typed: str) -> tuple[str, bool]:
    count = typed.strip()
    if not whole_number(count, 0, PACK_MOST):
        return services.text(chat_id, "medicines_bad_pack", most=PACK_MOST), True
    stop_waiting(services, chat_id)
    medicine_id = state.get("medicine")
    if not isinstance(medicine_id, int) or not medicines.set_pack(
        services.db, chat_id, medicine_id, int(count), int(count)
    ):
        return services.text(chat_id, "medicines_gone"), False
    return services.text(chat_id, "medicines_pack_set", name=state["name"], left=int(count)), False


def ask(services: Core, chat_id: int, step: str) -> str:
    """The question of a step (after a kind was chosen)."""
    low, high = {"every": EVERY_DAYS, "months": EVERY_MONTHS}.get(step, (1, 31))
    return services.text(chat_id, f"medicines_ask_{step}", low=low, high=high)


def save(services: Core, chat_id: int, state: dict[str, Any], draft: dict[str, Any]) -> str:
    """The finished flow: a new medicine, or her new schedule for one she has."""
    stop_waiting(services, chat_id)
    try:
        schedule = from_json(draft)
    except ScheduleError:
        return services.text(chat_id, "medicines_invalid")
    now = epoch(services.clock.now())
    name, medicine_id = state["name"], state.get("medicine")
    if isinstance(medicine_id, int):
        if not medicines.set_schedule(services.db, chat_id, medicine_id, schedule.to_json(), now):
            return services.text(chat_id, "medicines_gone")
        key = "medicines_changed"
    else:
        if medicines.add(services.db, chat_id, name, schedule.to_json(), now) is None:
            return services.text(chat_id, "medicines_full", most=medicines.MAX_MEDICINES)
        key = "medicines_added"
    sync_slots(services, chat_id)
    injections.sync(services, chat_id)
    saved = services.text(chat_id, key, name=name, schedule=describe(services, chat_id, schedule))
    return "\n\n".join([saved, *too_soon_warnings(services, chat_id)])


# --- what she sees -----------------------------------------------------------------------
def describe(services: Core, chat_id: int, schedule: Schedule) -> str:
    """The schedule in her words: "every Sun at 08:00", "next due 31 July 2026"."""
    text = services.text
    if isinstance(schedule, EveryNMonths):
        due = schedule.due_from(today(services, chat_id))
        return text(chat_id, "medicines_every_months", months=schedule.months, due=due)
    if not isinstance(schedule, Timed):
        return text(chat_id, "medicines_as_needed")
    times = ", ".join(format_time(t) for t in schedule.times)
    values: dict[str, Any] = {"times": times, **schedule.params()}
    if isinstance(schedule, Weekly):
        weekdays = services.names(chat_id).weekdays
        values["weekdays"] = ", ".join(weekdays[d] for d in sorted(schedule.weekdays))
    if schedule.start is not None:
        values["start"] = schedule.start
    return text(chat_id, f"medicines_{schedule.kind}", **values)


def line(services: Core, chat_id: int, medicine: Medicine) -> str:
    schedule = schedule_of(medicine)
    shown = describe(services, chat_id, schedule) if schedule else "?"
    status = (
        ""
        if medicine.status == "active"
        else services.text(chat_id, f"medicines_is_{medicine.status}")
    )
    left = (
        services.text(chat_id, "medicines_left", left=medicine.tablets_left)
        if medicine.tablets_left is not None
        else ""
    )
    return (
        services.text(chat_id, "medicines_line", name=medicine.name, schedule=shown) + status + left
    )


def card_text(services: Core, chat_id: int, medicine: Medicine) -> str:
    """One medicine: its line, and whether caregivers hear of a missed dose of it."""
    shares = "on" if medicine.share_with_caregivers else "off"
    sharing = services.text(chat_id, f"medicines_sharing_{shares}")
    return line(services, chat_id, medicine) + "\n" + sharing


def list_text(services: Core, chat_id: int) -> str:
    listed = medicines.listed(services.db, chat_id)
    if not listed:
        return services.text(chat_id, "medicines_none")
    lines = [services.text(chat_id, "medicines_header")]
    lines += [line(services, chat_id, m) for m in listed]
    lines += ["", services.text(chat_id, "medicines_footer")]
    return "\n".join(lines)


def set_status(services: Core, chat_id: int, medicine_id: int, status: str) -> Medicine | None:
    """Pause, resume or stop one of hers; its reminders follow at once. None: not hers."""
    now = epoch(services.clock.now())
    if not medicines.set_status(services.db, chat_id, medicine_id, status, now):
        return None
    sync_slots(services, chat_id)
    injections.sync(services, chat_id)
    return medicines.get(services.db, chat_id, medicine_id)


def update(services: Core, chat_id: int, medicine: Medicine, action: str) -> Medicine:
    """Pause, resume or switch caregivers' news of one of hers ("card": as it is)."""
    if action in ("pause", "resume"):
        status = "paused" if action == "pause" else "active"
        return set_status(services, chat_id, medicine.id, status) or medicine
    if action == "share":
        share = not medicine.share_with_caregivers
        medicines.set_sharing(services.db, chat_id, medicine.id, share)
    return medicines.get(services.db, chat_id, medicine.id) or medicine


def is_as_needed(medicine: Medicine | None) -> bool:
    return medicine is not None and medicine.schedule.get("kind") == "as_needed"


def logged_when_given(medicine: Medicine | None) -> bool:
    """Noted by a button when taken or given (no reminder's row to answer): as needed, or an
    injection every few months."""
    return medicine is not None and medicine.schedule.get("kind") in (
        "as_needed",
        EveryNMonths.kind,
    )


# --- her times: one event per distinct local time ------------------------------------------
class Reminded(NamedTuple):
    """One of her active medicines that has reminders."""

    id: int
    name: str
    schedule: Timed


def timed(services: Core, chat_id: int) -> list[Reminded]:
    """Her active medicines that have reminders (the tick asks for every due reminder of
    hers: plain rows, and each stored schedule is parsed once, bot/pure/medschedule.py)."""
    return [
        Reminded(id_, name, schedule)
        for id_, name, text in medicines.active(services.db, chat_id)
        if isinstance(schedule := read(text), Timed)
    ]


def slot_fire(
    services: Core, chat_id: int, slot: str, zone: Any, after: datetime
) -> datetime | None:
    """The next instant any active medicine is due at local `slot` (None: none is)."""
    at = time.fromisoformat(slot)
    fires = [
        fire
        for medicine in timed(services, chat_id)
        if (fire := next_at(medicine.schedule, at, after, zone)) is not None
    ]
    return min(fires, default=None)


def due_at(services: Core, chat_id: int, day: date, slot: str) -> list[int]:
    """The ids of her active medicines due on local `day` at `slot`."""
    at = time.fromisoformat(slot)
    return [
        m.id for m in timed(services, chat_id) if at in m.schedule.times and m.schedule.due_on(day)
    ]


def sync_slots(services: Core, chat_id: int) -> None:
    """One "meds" event per distinct local time of her active medicines, each at its next
    due instant; a time no medicine has any more is dropped."""
    db, zone, now = services.db, services.zone(chat_id), services.clock.now()
    wanted = {format_time(t) for m in timed(services, chat_id) for t in m.schedule.times}
    for event in events.for_chat(db, chat_id):
        if event.kind == SLOT and event.ref not in wanted:
            events.cancel(db, chat_id, SLOT, event.ref)
    for slot in sorted(wanted):
        fire = slot_fire(services, chat_id, slot, zone, now)
        if fire is None:
            events.cancel(db, chat_id, SLOT, slot)
        else:
            events.schedule(db, chat_id, SLOT, epoch(fire), ref=slot)


# --- her answers -----------------------------------------------------------------------------
LOW = (7, 3)  # tablets left at which she is told to get more
HISTORY_DAYS = 14
MARKS = {"taken": "✅", "skipped": "➖", "missed": "❌", "pending": "⏳"}


def _taken_count(services: Core, chat_id: int, medicine_id: int) -> str:
    """One tablet fewer when she counts them; a line when few are left."""
    left = medicines.count_one_down(services.db, chat_id, medicine_id)
    found = medicines.get(services.db, chat_id, medicine_id)
    if left is None or found is None or left not in (*LOW, 0):
        return ""
    return "\n" + services.text(chat_id, "medicines_refill", name=found.name, left=left)


def answer_dose(services: Core, chat_id: int, dose: Dose, status: str) -> str:
    """Taken or skipped for one dose: what to say besides the updated reminder (a refill
    line, or the missed-dose advice)."""
    medicines.set_dose(services.db, chat_id, dose.id, status, epoch(services.clock.now()))
    if status == "taken":
        return "" if dose.status == "taken" else _taken_count(services, chat_id, dose.medicine_id)
    return services.text(chat_id, "medicines_missed_advice", name=dose.medicine)


def took_now(services: Core, chat_id: int, medicine: Medicine) -> str:
    """An "as needed" medicine taken now: logged at her local minute (once a minute)."""
    now = services.clock.now()
    local = now.astimezone(services.zone(chat_id))
    at = format_time(local.time())
    medicines.open_dose(
        services.db,
        medicine.id,
        chat_id,
        local.date().isoformat(),
        at,
        epoch(now),
        "taken",
        epoch(now),
    )
    text = services.text(chat_id, "medicines_logged", name=medicine.name, time=at)
    return text + _taken_count(services, chat_id, medicine.id)


def history_text(services: Core, chat_id: int) -> str:
    """Her doses of the last HISTORY_DAYS days, newest first."""
    since = today(services, chat_id) - timedelta(days=HISTORY_DAYS - 1)
    medicines.close_before(services.db, chat_id, today(services, chat_id).isoformat())
    found = medicines.history(services.db, chat_id, since.isoformat())
    if not found:
        return services.text(chat_id, "medicines_history_none", days=HISTORY_DAYS)
    lines = [services.text(chat_id, "medicines_history_header", days=HISTORY_DAYS)]
    for dose in found:
        day = date.fromisoformat(dose.local_date)
        lines.append(
            services.text(
                chat_id,
                "medicines_history_line",
                mark=MARKS.get(dose.status, "?"),
                day=show(day, services.names(chat_id)),
                time=dose.local_time,
                name=dose.medicine,
            )
        )
    return "\n".join(lines)


# --- alendronic acid ----------------------------------------------------------------------
def too_soon_warnings(services: Core, chat_id: int) -> list[str]:
    """A line for each tablet of hers (her anastrozole too) due less than 30 minutes after
    alendronic acid on a day both are due; with the NHS's rule and its source."""
    listed = [(m.name, m.schedule) for m in timed(services, chat_id)]
    person = people.get(services.db, chat_id)
    at = parse_time(person.remind_at) if person and person.remind_at else None
    if at is not None:
        listed.append((services.text(chat_id, "medicines_anastrozole"), Daily((at,))))
    lines = []
    for name, schedule in listed:
        if not is_alendronic(name):
            continue
        for other, later in listed:
            if other == name:
                continue
            for first, second in too_soon_after(schedule, later, today(services, chat_id)):
                lines.append(
                    services.text(
                        chat_id,
                        "medicines_too_soon",
                        name=name,
                        time=format_time(first),
                        other=other,
                        other_time=format_time(second),
                    )
                )
    return lines
