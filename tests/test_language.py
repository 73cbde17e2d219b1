"""Russian end to end: her Telegram language chooses it, /language changes it and keeps her
choice, questions are answered from the Russian guide, and dates carry Russian month names."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.app import App
from bot.pure.smalltalk import SmallTalk
from bot.services import Services
from bot.trial.recording_request import RecordingRequest
from db import people
from tests.support import Person, en


@pytest.fixture
def olga(app: App, request_layer: RecordingRequest) -> Person:
    """A woman whose Telegram app is in Russian."""
    return Person(app, request_layer, chat_id=4004, first_name="Ольга", language_code="ru")


async def test_telegram_language_ru_gets_the_russian_bot(olga: Person) -> None:
    welcome, *_onboarding = await olga.send("/start")
    assert welcome.startswith("Здравствуйте, Ольга 🌷")
    help_text = await olga.help_everything()
    assert help_text.startswith("<b>Что я умею</b>")
    assert "/language – Выбрать язык" in help_text
    [topic, *_] = await olga.send("/dose")
    assert topic.startswith("<b>Доза и как принимать</b>")
    assert "1 мг один раз в день" in topic


async def test_a_russian_question_is_answered_from_the_russian_guide(olga: Person) -> None:
    [answer] = await olga.send("Я вчера забыла выпить таблетку, что делать?")
    assert "никогда не принимайте две дозы" in answer
    assert "info:topic:dose" in olga.buttons().values()


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("Здравствуйте!", "Чем я могу помочь сегодня?"),
        ("привет", "Чем я могу помочь сегодня?"),
        ("спасибо вам большое", "Пожалуйста, не за что"),
        ("Хорошо, поняла", "Хорошо 🌷 Пишите мне"),
        ("до свидания", "Берегите себя"),
        ("кто ты?", "Я не человек"),
    ],
)
async def test_russian_small_talk_gets_the_russian_reply(
    olga: Person, said: str, reply: str
) -> None:
    [text] = await olga.send(said)
    assert reply in text
    assert "/help" in text or "помощь" in text


def test_the_russian_small_talk_words_sort_each_message() -> None:
    """The data itself (content/ru/synonyms.yaml), while the handler still asks in English."""
    talk = SmallTalk.load(Path(__file__).resolve().parents[1] / "content")
    said = {
        "Здравствуйте!": "greeting",
        "спасибо вам большое": "thanks",
        "Хорошо, поняла": "ok",
        "до свидания": "goodbye",
        "кто ты?": "who",
        "спасибо, а когда он начнёт действовать?": None,
    }
    assert {text: talk.kind(text, "ru") for text in said} == said


async def test_russian_small_talk_never_swallows_a_question(olga: Person) -> None:
    [text] = await olga.send("спасибо, а когда он начнёт действовать?")
    assert "24 часа" in text
    assert "info:topic:everyday" in olga.buttons().values()


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
    assert answers[-1] == en("language_set")
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


async def test_a_russian_warning_sign_gets_the_russian_urgent_advice(olga: Person) -> None:
    [text] = await olga.send("у меня опухли губы и трудно дышать")
    assert text.startswith("⚠️ <b>То, что вы описываете, может быть тревожным признаком.</b>")
    assert "<b>Немедленно вызовите скорую помощь" in text
    assert "Отёк лица, губ, языка или горла." in text
    [text] = await olga.send("не хочу больше жить")
    assert "116 123" in text and "Samaritans" in text and "8-800-2000-122" in text


async def test_russian_from_someone_who_chose_english_is_still_screened(
    app: App, request_layer: RecordingRequest, services: Services
) -> None:
    """A warning sign is found in the language it is written in, and answered in hers."""
    anna = Person(app, request_layer, chat_id=4005, first_name="Anna", language_code="en")
    [text] = await anna.send("у меня опухли губы")
    assert "<b>Call emergency services now" in text
    [text] = await anna.send("Можно ли принимать с едой?")  # her guide is the English one
    assert text == services.catalog.text("en", "safety_foreign")


async def test_the_diary_and_its_report_speak_russian(olga: Person) -> None:
    [question] = await olga.send("/log")
    assert question.startswith("Что вы хотите отметить?")
    asked = await olga.press(olga.buttons()["Боль или скованность в суставах"])
    assert "<b>Боль или скованность в суставах</b>: насколько сильно?" in asked
    saved = await olga.press(olga.buttons()["Умеренно"])
    assert "Сохранено: <b>Боль или скованность в суставах</b>, умеренно." in saved[-1]
    since = len(olga.request.calls)
    [caption] = await olga.send("/report")
    assert caption.startswith("Отчёт для онколога")
    [document] = [
        p["_files"]["document"][1] for m, p in olga.calls_since(since) if m == "sendDocument"
    ]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages)
    assert "Отчёт о лечении анастрозолом" in re.sub(r"\s+", " ", text)
