"""/timezone, a shared location, and the onboarding after /start: where she lives decides
when "08:00" is. Changing the zone moves every scheduled event of hers. Parsed and answered
here; saved and worded by usecases.py."""

from __future__ import annotations

from functools import cache
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.pure.parsing import COMMON_ZONES, is_zone
from bot.pure.places import Place, find_places, zone_label
from bot.pure.words import her_words
from bot.replies import button, expired, pressed, send_html
from bot.services import BotContext, Services, chat_id_of
from handlers.reminders import usecases
from handlers.reminders.buttons import (
    ONBOARDING,
    ZONE_PATTERN,
    LocationButton,
    ZoneButton,
    later_button,
    setup_time_keyboard,
)
from handlers.reminders.commands import schedule_changed

MAX_CHOICES = 12


@cache
def _finder() -> Any:
    """timezonefinder loads large boundary data: only on the first shared location."""
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def common_places() -> tuple[Place, ...]:
    return tuple(Place(zone, zone_label(zone)) for zone in COMMON_ZONES)


def zone_keyboard(
    services: Services, chat_id: int, places: tuple[Place, ...]
) -> InlineKeyboardMarkup:
    """One button per place, named as people name it ("London, United Kingdom")."""
    buttons = [button(p.label, ZoneButton("zone", p.zone).pack()) for p in places]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [button(services.text(chat_id, "timezone_button_location"), LocationButton("loc").pack())]
    )
    return InlineKeyboardMarkup(rows)


async def set_zone(
    services: Services, bot: Bot, chat_id: int, place: Place
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Save the zone and move her events; the confirmation, with time buttons if she has
    no reminder yet (a caregiver is not asked: her zone only times her weekly summary).

    The same zone again leaves a due reminder where it is."""
    if usecases.save_zone(services, chat_id, place.zone):
        await schedule_changed(services, bot, chat_id)
    text, pick_time = usecases.zone_set_text(services, chat_id, place)
    if not pick_time:
        return text, None
    usecases.await_time(services, chat_id)  # she is setting up: typed words answer it too
    return text, setup_time_keyboard(services, chat_id)


async def timezone_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    arg = " ".join(context.args or []).strip()
    if not arg:
        text = usecases.zone_status(services, chat_id)
        await send_html(
            update, context, text, reply_markup=zone_keyboard(services, chat_id, common_places())
        )
        return
    places = find_places(arg)
    if len(places) == 1:
        text, keyboard = await set_zone(services, context.bot, chat_id, places[0])
        await send_html(update, context, text, reply_markup=keyboard)
    elif places:
        shown = places[:MAX_CHOICES]
        key = "timezone_choose" if len(places) <= MAX_CHOICES else "timezone_choose_many"
        await send_html(
            update,
            context,
            services.text(chat_id, key),
            reply_markup=zone_keyboard(services, chat_id, shown),
        )
    else:
        await send_html(update, context, services.text(chat_id, "timezone_unknown", name=arg[:60]))


async def on_lives_in(update: Update, context: BotContext, text: str) -> bool:
    """Where she lives, in her words: offer its zone with a button (nothing set until
    she taps); a name that is no known place goes on to the question matcher."""
    services = context.services
    chat_id = chat_id_of(update)
    places = find_places(her_words(services.settings.content_path).place(text) or "")
    if not places:
        return False
    await send_html(
        update,
        context,
        usecases.lives_in_text(services, chat_id),
        reply_markup=zone_keyboard(services, chat_id, places[:MAX_CHOICES]),
    )
    return True


async def on_location(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    message = update.effective_message
    location = message.location if message else None
    if location is None:
        return
    zone = _finder().timezone_at(lng=location.longitude, lat=location.latitude)
    if not zone or not is_zone(zone) or zone.startswith("Etc/"):  # at sea: no place
        await send_html(
            update,
            context,
            services.text(chat_id, "timezone_location_unknown"),
            reply_markup=ReplyKeyboardRemove(),
        )
        return
    text, keyboard = await set_zone(services, context.bot, chat_id, Place(zone, zone_label(zone)))
    await send_html(
        update,
        context,
        services.text(chat_id, "timezone_from_location"),
        reply_markup=ReplyKeyboardRemove(),
    )
    await send_html(update, context, text, reply_markup=keyboard)


async def on_button(update: Update, context: BotContext) -> None:
    query, services, chat_id, data = pressed(update, context)
    if LocationButton.unpack(data) is not None:
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
        await send_html(
            update,
            context,
            services.text(chat_id, "timezone_share_location"),
            reply_markup=keyboard,
        )
        return
    chosen = ZoneButton.unpack(data)
    if chosen is None or not is_zone(chosen.zone):
        await expired(query, services, chat_id, context)
        return
    await query.answer()
    zone = chosen.zone
    place = Place(zone, zone_label(zone), fixed=zone.startswith("Etc/"))
    text, choices = await set_zone(services, context.bot, chat_id, place)
    await send_html(update, context, text, reply_markup=choices)


async def onboarding(update: Update, context: BotContext) -> bool:
    """After the welcome: offer the zone, then the time, in a few taps (skipped once set);
    True when it asked. Each question can be left for later (`LATER`)."""
    services = context.services
    chat_id = chat_id_of(update)
    ask = usecases.onboarding(services, chat_id)
    if ask is None:
        return False
    text, zone_known = ask
    if zone_known:
        await send_html(update, context, text, reply_markup=setup_time_keyboard(services, chat_id))
        usecases.await_time(services, chat_id)  # typed words answer it too
        return True
    keyboard = zone_keyboard(services, chat_id, common_places())
    markup = InlineKeyboardMarkup([*keyboard.inline_keyboard, [later_button(services, chat_id)]])
    await send_html(update, context, text, reply_markup=markup)
    return True


def register(app: Any, services: Services) -> None:
    services.registry.command("timezone", timezone_command, "reminders", "timezone_menu", order=20)
    services.registry.on_start(ONBOARDING, onboarding, order=10)  # the first question
    words = her_words(services.settings.content_path)
    services.registry.on_text(
        "lives_in", lambda text: words.place(text) is not None, on_lives_in, 20
    )
    app.add_handler(CallbackQueryHandler(on_button, pattern=ZONE_PATTERN))
    app.add_handler(MessageHandler(filters.LOCATION, on_location))
