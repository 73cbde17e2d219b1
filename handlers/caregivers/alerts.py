"""What caregivers receive: each alert is an event in the caregiver's chat, delivered by the
scheduler tick and its ledger, so never lost or doubled across restarts, and a 403 pauses a
caregiver like anyone else. Each delivery checks the link and its switch again, so ending a
link or turning a switch off stops news at once, even a delivery already claimed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from telegram import Bot

from bot.core import label, name_of
from bot.pure import caregiving
from bot.pure.adherence import summarise
from bot.pure.diary import this_week
from bot.pure.permissions import See, may_see
from bot.pure.signals import BonescanOverdue, DoseAnswered, MedicineMissed, ReminderChanged
from bot.pure.timerules import epoch, from_epoch, local_date
from bot.replies import send
from bot.services import Services
from db import caregivers as store
from db import events
from db.events import Delivery, Event
from handlers.caregivers.planning import (
    ALERT,
    BONESCAN,
    FOLLOWUP,
    MEDICINE,
    WEEKLY,
    alert_after,
    alert_delay,
    sync_alert,
)

UNCONFIRMED = ("pending", "missed")


class MissedDoseAlert:
    """Daily in the caregiver's chat at the patient's dose time plus her delay."""

    name = ALERT

    @staticmethod
    def _minutes(event_payload: dict[str, Any]) -> int:
        return int(event_payload.get("delay", 0))

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        delay = timedelta(minutes=self._minutes(event.payload))
        return caregiving.alert_occurrence(due, services.zone(int(event.ref)), delay)

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        return alert_after(services, int(event.ref), self._minutes(event.payload), after)

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        patient, caregiver = int(delivery.ref), delivery.chat_id
        link = store.get_link(services.db, patient, caregiver)
        minutes = alert_delay(services, patient)
        if not may_see(caregiver, patient, link, See.MISSED_DOSE) or not minutes:
            return None
        day = caregiving.occurrence_day(delivery.occurrence)
        dose = services.queries.doses.on(services.db, patient, date.fromisoformat(day))
        if dose is None or dose.status not in UNCONFIRMED or dose.message_id is None:
            return None  # answered, or no reminder went out (the bot was down): no alert
        if store.alert_was_sent(services.db, ALERT, caregiver, patient, day):
            return None  # one alert per dose, even if her dose time changed since
        if from_epoch(dose.due) + timedelta(minutes=minutes) > services.clock.now():
            return None  # her dose time moved later today: not overdue yet
        due_local = from_epoch(dose.due).astimezone(services.zone(patient))
        text = services.text(
            caregiver,
            "caregivers_alert",
            patient=name_of(services, patient, caregiver),
            time=due_local.strftime("%H:%M"),
        )
        return await send(bot, caregiver, text)

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None  # an alert hours too late helps no one; the ledger records "late"


class WeeklySummary:
    """Sunday 19:00 in the caregiver's own zone: the patient's last 7 days."""

    name = WEEKLY

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return local_date(due, services.zone(event.chat_id)).isoformat()

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        return caregiving.next_weekly(services.zone(event.chat_id), after)

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        patient, caregiver = int(delivery.ref), delivery.chat_id
        link = store.get_link(services.db, patient, caregiver)
        if not may_see(caregiver, patient, link, See.WEEKLY):
            return None
        today = local_date(services.clock.now(), services.zone(patient))
        first = today - timedelta(days=caregiving.WEEK - 1)
        dose_days = services.queries.doses
        dose_days.close_before(services.db, patient, today)
        rows = dose_days.between(services.db, patient, first, today)
        statuses = {d.local_date: d.status for d in rows}
        week = summarise(statuses, today, caregiving.WEEK)  # counted exactly as /history does
        name = name_of(services, patient, caregiver)
        shared = symptoms_line(services, patient, caregiver, link, today)
        shared += medicines_lines(services, patient, caregiver, first, today)
        if week.percent is None:
            text = services.text(caregiver, "caregivers_weekly_none", patient=name)
            return await send(bot, caregiver, text + shared)
        days = week.taken + week.skipped + week.missed
        span = {
            "patient": name,
            "first": services.weekday(caregiver, first),
            "last": services.weekday(caregiver, today),
        }
        if days == 1:  # "Taken: 1 of 1 days" reads like a form: say it in words
            status = "taken" if week.taken else "skipped" if week.skipped else "missed"
            said = services.text(caregiver, f"caregivers_weekly_status_{status}")
            text = services.text(caregiver, "caregivers_weekly_one", status=said, **span)
        else:
            text = services.text(
                caregiver,
                "caregivers_weekly",
                taken=week.taken,
                days=days,
                percent=week.percent,
                skipped=week.skipped,
                unconfirmed=week.missed,
                **span,
            )
        return await send(bot, caregiver, text + shared)

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None


def symptoms_line(
    services: Services, patient: int, caregiver: int, link: store.Link | None, today: date
) -> str:
    """ "Symptoms logged this week: ..." under the summary, only if she shares her diary with
    this caregiver (off by default): names and how bad, never her notes."""
    if not may_see(caregiver, patient, link, See.DIARY):
        return ""
    week = services.queries.symptoms.between(services.db, patient, today - timedelta(days=6), today)
    logged = this_week(week, today)
    if not logged:
        return ""
    symptoms = ", ".join(
        label(services, caregiver, f"diary_symptom_{symptom}")
        + f" ({label(services, caregiver, f'diary_severity_{severity}').lower()})"
        for symptom, severity in logged
    )
    return "\n" + services.text(caregiver, "diary_caregiver_week", symptoms=symptoms)


def medicines_lines(
    services: Services, patient: int, caregiver: int, first: date, today: date
) -> str:
    """Under the summary, the week of each other medicine she shares with caregivers (its
    card's switch, off by default): doses taken, skipped and not confirmed. Nothing of a
    medicine she keeps to herself."""
    shared = services.queries.medicines.tallies(services.db, patient, first, today, shared=True)
    if not shared:
        return ""
    lines = [services.text(caregiver, "caregivers_weekly_medicines")]
    for week in shared:
        doses = week.taken + week.skipped + week.missed
        lines.append(
            services.text(
                caregiver,
                "caregivers_weekly_medicine",
                name=week.name,
                taken=week.taken,
                doses=doses,
                skipped=week.skipped,
                unconfirmed=week.missed,
            )
        )
    return "\n" + "\n".join(lines)


@dataclass
class Note:
    """A one-shot message to a caregiver (the day is in the payload), if she may see it."""

    name: str
    see: See
    compose: Callable[[Services, Delivery, int, int], str | None]

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return str(event.payload["day"])

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        return None

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        patient, caregiver = int(delivery.ref.split(":")[0]), delivery.chat_id
        link = store.get_link(services.db, patient, caregiver)
        if not may_see(caregiver, patient, link, self.see):
            return None
        text = self.compose(services, delivery, patient, caregiver)
        return await send(bot, caregiver, text) if text else None

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None


def _taken_after_all(
    services: Services, delivery: Delivery, patient: int, caregiver: int
) -> str | None:
    day = delivery.occurrence
    dose = services.queries.doses.on(services.db, patient, date.fromisoformat(day))
    if dose is None or dose.status != "taken":
        return None
    if not store.alert_was_sent(services.db, ALERT, caregiver, patient, day):
        return None  # she never heard it was missing, so "after all" would only confuse
    name = name_of(services, patient, caregiver)
    return services.text(caregiver, "caregivers_taken_after_all", patient=name)


def _bonescan_overdue(
    services: Services, delivery: Delivery, patient: int, caregiver: int
) -> str | None:
    name = name_of(services, patient, caregiver)
    return services.text(caregiver, "caregivers_bonescan", patient=name)


def _medicine_missed(
    services: Services, delivery: Delivery, patient: int, caregiver: int
) -> str | None:
    names = ", ".join(str(n) for n in delivery.payload.get("medicines", []))
    name = name_of(services, patient, caregiver)
    time_ = str(delivery.payload.get("time", ""))
    return services.text(
        caregiver, "caregivers_medicine_missed", patient=name, medicines=names, time=time_
    )


# --- signals from the patient's side ------------------------------------------------------
async def on_dose_answered(services: Services, bot: Bot, signal: DoseAnswered) -> None:
    """Taken after an alert went out: queue a short follow-up for each alerted caregiver."""
    if signal.status != "taken":
        return
    chat_id, day = signal.chat_id, signal.local_date
    now = epoch(services.clock.now())
    with services.db.atomic():
        for caregiver in store.alerted_caregivers(services.db, ALERT, chat_id, day):
            events.schedule(services.db, caregiver, FOLLOWUP, now, f"{chat_id}:{day}", {"day": day})


async def on_reminder_changed(services: Services, bot: Bot, signal: ReminderChanged) -> None:
    """Her dose time or zone changed: each caregiver's alert follows it from now."""
    chat_id = signal.chat_id
    with services.db.atomic():
        for link in store.caregivers_of(services.db, chat_id):
            sync_alert(services, chat_id, link.caregiver)


async def on_bonescan_overdue(services: Services, bot: Bot, signal: BonescanOverdue) -> None:
    chat_id = signal.chat_id
    now = services.clock.now()
    day = local_date(now, services.zone(chat_id)).isoformat()
    with services.db.atomic():
        for link in store.caregivers_of(services.db, chat_id):
            if link.bonescan:
                events.schedule(
                    services.db, link.caregiver, BONESCAN, epoch(now), str(chat_id), {"day": day}
                )


async def on_medicine_missed(services: Services, bot: Bot, signal: MedicineMissed) -> None:
    """Her other medicines she shares stayed unconfirmed: a note for each caregiver with
    missed-dose alerts on (the note checks the link and switch again as it goes)."""
    chat_id, when = signal.chat_id, f"{signal.local_date}@{signal.local_time}"
    payload = {"day": when, "time": signal.local_time, "medicines": list(signal.medicines)}
    now = epoch(services.clock.now())
    with services.db.atomic():
        for link in store.caregivers_of(services.db, chat_id):
            if link.allows(See.MISSED_DOSE.value):
                events.schedule(
                    services.db, link.caregiver, MEDICINE, now, f"{chat_id}:{when}", payload
                )


def register(services: Services) -> None:
    """The event kinds and the listeners to the patient's side (reminders, check-ups)."""
    registry = services.registry
    registry.listen(DoseAnswered, on_dose_answered)
    registry.listen(BonescanOverdue, on_bonescan_overdue)
    registry.listen(ReminderChanged, on_reminder_changed)
    registry.listen(MedicineMissed, on_medicine_missed)
    services.add_kind(MissedDoseAlert())
    services.add_kind(WeeklySummary())
    services.add_kind(Note(FOLLOWUP, See.MISSED_DOSE, _taken_after_all))
    services.add_kind(Note(BONESCAN, See.BONESCAN, _bonescan_overdue))
    services.add_kind(Note(MEDICINE, See.MISSED_DOSE, _medicine_missed))
