"""When a caregiver's news is due: the events in her chat (missed-dose alert, weekly
summary) kept in step with the link's switches, the patient's delay and her dose time.
The database and the rules, no Telegram; alerts.py delivers them."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.core import Core
from bot.pure import caregiving
from bot.pure.timerules import epoch, from_epoch
from db import caregivers as store
from db import events, people

ALERT = "caregiver_alert"
WEEKLY = "caregiver_weekly"
FOLLOWUP = "caregiver_followup"
BONESCAN = "caregiver_bonescan"
MEDICINE = "caregiver_medicine"  # a missed dose of another medicine she shares (MedicineMissed)
KINDS = (ALERT, WEEKLY, FOLLOWUP, BONESCAN, MEDICINE)


def alert_delay(core: Core, patient: int) -> int:
    """Her chosen delay in minutes (0 = alerts off), or CAREGIVER_ALERT_AFTER_MINUTES."""
    return store.alert_delay(core.db, patient, core.settings.caregiver_alert_after_minutes)


def alert_after(core: Core, patient: int, minutes: int, after: datetime) -> datetime:
    """Her next dose time plus the delay; without a dose time, look again in a day. A reminder
    already sent and still open keeps its own alert time, even if her dose time moved since."""
    delay = timedelta(minutes=minutes)
    person = people.get(core.db, patient)
    if person is None or not person.remind_at:
        fire = after + timedelta(days=1)
    else:
        at = time.fromisoformat(person.remind_at)
        fire = caregiving.next_alert(at, core.zone(patient), delay, after)
    last = core.queries.doses.latest(core.db, patient)
    if last and last.status == "pending" and last.message_id is not None:
        open_alert = from_epoch(last.due) + delay
        fire = min(fire, open_alert) if open_alert > after else fire
    return fire


def sync_alert(core: Core, patient: int, caregiver: int) -> None:
    """Make the caregiver's missed-dose alert match the link, the delay and her dose time."""
    db, now, ref = core.db, core.clock.now(), str(patient)
    link = store.get_link(db, patient, caregiver)
    minutes = alert_delay(core, patient)
    if link is not None and link.missed_dose and minutes:
        fire = alert_after(core, patient, minutes, now)
        events.schedule(db, caregiver, ALERT, epoch(fire), ref, {"delay": minutes})
    else:
        events.cancel(db, caregiver, ALERT, ref)


def sync_events(core: Core, patient: int, caregiver: int) -> None:
    """Make the caregiver's alert and weekly events match the link's switches and delay."""
    db, now, ref = core.db, core.clock.now(), str(patient)
    sync_alert(core, patient, caregiver)
    link = store.get_link(db, patient, caregiver)
    if link is not None and link.weekly:
        fire = caregiving.next_weekly(core.zone(caregiver), now)
        events.schedule(db, caregiver, WEEKLY, epoch(fire), ref)
    else:
        events.cancel(db, caregiver, WEEKLY, ref)


def reschedule_patient(core: Core, patient: int) -> None:
    """Recompute, from now, the events of every caregiver of this patient: call it after her
    dose time, time zone or alert delay changed (her own chat's events move separately)."""
    with core.db.atomic():
        for link in store.caregivers_of(core.db, patient):
            sync_events(core, patient, link.caregiver)
