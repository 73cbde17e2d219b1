"""The symptom diary: /log and its buttons, the weekly check-in, /symptoms, /chart and
/report. Commands and buttons in `commands`/`buttons`, rules with the database in `usecases`,
pictures and the PDF in bot/reports/ (no Telegram)."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackQueryHandler

from bot.pure.signals import DoseAnswered
from bot.services import Services
from handlers.diary import commands
from handlers.diary.buttons import PATTERN
from handlers.diary.usecases import NOTE, RATE


def register(app: Any, services: Services) -> None:
    registry = services.registry
    registry.command("log", commands.log_command, "diary", "diary_menu_log", 10)
    registry.command("symptoms", commands.symptoms_command, "diary", "diary_menu_symptoms", 20)
    registry.command("chart", commands.chart_command, "diary", "diary_menu_chart", 30)
    registry.command("report", commands.report_command, "diary", "diary_menu_report", 40)
    registry.on_reply(NOTE, commands.on_note, note=True)
    registry.on_reply(RATE, commands.on_typed_severity)
    registry.listen(DoseAnswered, commands.on_dose_answered)
    app.add_handler(CallbackQueryHandler(commands.on_button, pattern=PATTERN))
