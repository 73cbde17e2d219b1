"""Her other medicines (issue 22): the list and the guided add (commands.py), their
buttons (buttons.py), the flow, the list and her times with the database (usecases.py), and
one reminder per local time of hers (kinds.py). Schedule rules: bot/pure/medschedule.py."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackQueryHandler

from bot.services import Services
from handlers.medicines import commands
from handlers.medicines.buttons import PATTERN
from handlers.medicines.kinds import InjectionKind, MedsAgainKind, MedsKind, MedsMissedKind
from handlers.medicines.moment import Medicines
from handlers.medicines.usecases import ADD


def register(app: Any, services: Services) -> None:
    registry = services.registry
    registry.command(
        "mymedicines", commands.my_medicines, "reminders", "medicines_menu_mymedicines", 60
    )
    registry.command(
        "addmedicine", commands.add_medicine, "reminders", "medicines_menu_addmedicine", 61
    )
    registry.on_reply(ADD, commands.on_answer)
    services.add_kind(MedsKind())
    services.add_kind(MedsAgainKind())
    services.add_kind(MedsMissedKind())
    services.add_kind(InjectionKind())
    registry.moment_member("medicines", Medicines(), order=20)
    app.add_handler(CallbackQueryHandler(commands.on_button, pattern=PATTERN))
