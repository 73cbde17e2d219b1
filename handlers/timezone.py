"""/timezone, a shared location, and the onboarding after /start: where she lives decides
when "08:00" is. Changing the zone moves every scheduled event of hers."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot import scheduler
from bot.parsing import COMMON_ZONES, find_zones, is_zone
from bot.services import Services, chat_id_of, get_services
from db import people
from handlers.reminders import pressed, reply, time_buttons

MAX_CHOICES = 12
_ZONE_BUTTON = re.compile(r"^rem:zone:([A-Za-z0-9_+\-/]{1,55})$")  # 64 bytes in all


@cache
def _finder() -> Any:
    """timezonefinder loads large boundary data: only on the first shared location."""
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_keyboard(services: Services, chat_id: int, zones: tuple[str, ...]) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(z, callback_data=f"rem:zone:{z}") for z in zones]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            InlineKeyboardButton(
                services.text(chat_id, "timezone_button_location"), callback_data="rem:loc"
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def set_zone(
    services: Services, chat_id: int, zone: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Save the zone and move her events; the confirmation, with time buttons if none is set."""
    people.set_timezone(services.db, chat_id, zone)
    scheduler.reschedule_chat(services, chat_id)
    local = services.clock.now().astimezone(services.zone(chat_id))
    text = services.text(chat_id, "timezone_set", zone=zone, now=local.strftime("%H:%M"))
    person = people.get(services.db, chat_id)
    if person and person.remind_at:
        return text + "\n" + services.text(
            chat_id, "timezone_keeps_time", time=person.remind_at
        ), None
    text += "\n" + services.text(chat_id, "timezone_pick_time")
    return text, InlineKeyboardMarkup(time_buttons())


async def timezone_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = get_services(context)
    chat_id = chat_id_of(update)
    arg = " ".join(context.args or []).strip()
    if not arg:
        person = people.get(services.db, chat_id)
        current = person.timezone if person and person.timezone else None
        key = "timezone_current" if current else "timezone_current_unset"
        text = services.text(chat_id, key, zone=current or "UTC")
        await reply(
            update, context, text, reply_markup=zone_keyboard(services, chat_id, COMMON_ZONES)
        )
        return
    zones = find_zones(arg)
    if len(zones) == 1:
        text, keyboard = set_zone(services, chat_id, zones[0])
        await reply(update, context, text, reply_markup=keyboard)
    elif zones:
        shown = zones[:MAX_CHOICES]
        key = "timezone_choose" if len(zones) <= MAX_CHOICES else "timezone_choose_many"
        await reply(
            update,
            context,
            services.text(chat_id, key),
            reply_markup=zone_keyboard(services, chat_id, shown),
        )
    else:
        await reply(update, context, services.text(chat_id, "timezone_unknown", name=arg[:60]))


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = get_services(context)
    chat_id = chat_id_of(update)
    message = update.effective_message
    location = message.location if message else None
    if location is None:
        return
    zone = _finder().timezone_at(lng=location.longitude, lat=location.latitude)
    if not zone or not is_zone(zone):
        await reply(
            update,
            context,
            services.text(chat_id, "timezone_location_unknown"),
            reply_markup=ReplyKeyboardRemove(),
        )
        return
    text, keyboard = set_zone(services, chat_id, zone)
    await reply(
        update,
        context,
        services.text(chat_id, "timezone_from_location"),
        reply_markup=ReplyKeyboardRemove(),
    )
    await reply(update, context, text, reply_markup=keyboard)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, services, chat_id, data = pressed(update, context)
    if data == "rem:loc":
        await query.answer()
        keyboard = ReplyKeyboardMarkup(
            [
                [
                    KeyboardButton(
                        services.text(chat_id, "timezone_button_send_location"),
                        request_location=True,
                    )
                ]
            ],
            one_time_keyboard=True,
            resize_keyboard=True,
        )
        await reply(
            update,
            context,
            services.text(chat_id, "timezone_share_location"),
            reply_markup=keyboard,
        )
        return
    match = _ZONE_BUTTON.match(data)
    if match is None or not is_zone(match[1]):
        await query.answer(services.text(chat_id, "button_expired"), show_alert=True)
        return
    await query.answer()
    text, choices = set_zone(services, chat_id, match[1])
    await reply(update, context, text, reply_markup=choices)


async def onboarding(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After the welcome: offer the zone, then the time, in a few taps (skipped once set)."""
    services = get_services(context)
    chat_id = chat_id_of(update)
    person = people.get(services.db, chat_id)
    if person is None or person.remind_at:
        return
    if person.timezone:
        text = services.text(chat_id, "timezone_onboarding_time", zone=person.timezone)
        await reply(
            update,
            context,
            text,
            reply_markup=InlineKeyboardMarkup(time_buttons()),
        )
        return
    text = services.text(chat_id, "timezone_onboarding")
    await reply(update, context, text, reply_markup=zone_keyboard(services, chat_id, COMMON_ZONES))


def register(app: Any, services: Services) -> None:
    services.registry.command("timezone", timezone_command, "reminders", "Your time zone", order=20)
    services.registry.after_start.append(onboarding)
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^rem:(zone|loc)"))
    app.add_handler(MessageHandler(filters.LOCATION, on_location))
