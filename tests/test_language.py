"""Russian end to end: her Telegram language chooses it, /language changes it and keeps her
choice, questions are answered from the Russian guide, and dates carry Russian month names."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.recording_request import RecordingRequest
from bot.services import Services
from db import people
from tests.support import Person


@pytest.fixture
def olga(app: App, request_layer: RecordingRequest) -> Person:
    """A woman whose Telegram app is in Russian."""
    return Person(app, request_layer, chat_id=4004, first_name="Ольга", language_code="ru")


async def test_telegram_language_ru_gets_the_russian_bot(olga: Person) -> None:
    welcome, *_onboarding = await olga.send("/start")
    assert welcome.startswith("Здравствуйте, Ольга 🌷")
    [help_text] = await olga.send("/help")
    assert help_text.startswith("<b>Что я умею</b>")
    assert "/language – Выбрать язык" in help_text
    [topic, *_] = await olga.send("/dose")
    assert topic.startswith("<b>Доза и как принимать</b>")
    assert "1 мг один раз в день" in topic


async def test_a_russian_question_is_answered_from_the_russian_guide(olga: Person) -> None:
    [answer] = await olga.send("Я вчера забыла выпить таблетку, что делать?")
    assert answer.startswith("Вот что я нашла:")
    assert "никогда не принимайте две дозы" in answer
    assert "Подробнее: /dose" in answer


async def test_language_offers_each_language_by_its_own_name(olga: Person) -> None:
    [choose] = await olga.send("/language")
    assert choose == "🌐 На каком языке мне писать? Сейчас: <b>Русский</b>."
    assert olga.buttons() == {"English": "language:en", "Русский": "language:ru"}


async def test_her_choice_outranks_telegrams_language_and_moves_her_menu(
    olga: Person, request_layer: RecordingRequest, services: Services
) -> None:
    await olga.send("/start")
    before = len(request_layer.calls)
    answers = await olga.press("language:en")
    assert answers[-1].startswith("🌐 Done: I'll write to you in English.")
    [menu] = [c.params for c in request_layer.calls[before:] if c.method == "setMyCommands"]
    assert menu["scope"] == {"type": "chat", "chat_id": olga.chat_id}
    assert {"command": "help", "description": "Every command, in groups"} in menu["commands"]
    [help_text] = await olga.send("/help")  # her app still says "ru"
    assert help_text.startswith("<b>What I can do</b>")
    person = people.get(services.db, olga.chat_id)
    assert person is not None and person.language == "en"
    await olga.press("language:ru")
    [help_text] = await olga.send("/help")
    assert help_text.startswith("<b>Что я умею</b>")


async def test_a_made_up_language_button_changes_nothing(olga: Person, services: Services) -> None:
    await olga.send("/start")
    [alert] = await olga.press("language:xx")
    assert alert == "Эта кнопка больше не работает. Пожалуйста, начните снова с /help."
    assert services.language(olga.chat_id) == "ru"


async def test_dates_carry_russian_month_names(olga: Person) -> None:
    [answer] = await olga.send("/bonescan 2025-01-10")
    assert "10 января 2025" in answer
    assert "<b>10 января 2027</b>" in answer
    [answer, *_] = await olga.send("/remind 08:30")
    assert "Следующее: вт 3 марта, 08:30." in answer  # the fake clock: Monday 2 March 2026


async def test_a_date_to_type_is_shown_as_she_writes_it_and_read_back(olga: Person) -> None:
    """The example to copy is a Russian date, and the bot reads that very form back."""
    [ask] = await olga.send("/started")
    assert "<code>/started 2 марта 2026</code>" in ask
    [saved, *_] = await olga.send("/started 26 января 2026")
    assert saved.startswith("Сохранено: вы начали принимать анастрозол 26 января 2026")


async def test_she_can_type_a_date_in_russian(olga: Person) -> None:
    [answer] = await olga.send("/bonescan 10 января 2025")
    assert "<b>10 января 2027</b>" in answer
    [answer, *_] = await olga.send("/started вчера")  # the fake clock: 2 March 2026
    assert answer.startswith("Сохранено: вы начали принимать анастрозол 1 марта 2026")
    [refused] = await olga.send("/bonescan 31 февраля 2025")
    assert refused.startswith("Такой даты нет")
