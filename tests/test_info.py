"""The information bot through the real application: commands, questions, fallbacks."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from bot.services import Services
from bot.settings import Settings
from bot.trial.recording_request import RecordingRequest
from handlers.info import source_label
from tests.support import Person, build_app, en
from tests.test_content import CONTENT, TOPICS
from tests.test_matcher import HOSTILE
from tests.test_render import problems

FOOTER_START = "💬 <i>Questions about your own treatment?"


def sent_since(request: RecordingRequest, index: int) -> list[dict[str, object]]:
    return [c.params for c in request.calls[index:] if c.method == "sendMessage"]


@pytest.mark.parametrize("command", sorted(TOPICS))
async def test_each_topic_command_answers_in_html_with_the_care_team_last(
    anna: Person, request_layer: RecordingRequest, services: Services, command: str
) -> None:
    before = len(request_layer.calls)
    texts = await anna.send(f"/{command}")
    topic = services.library.get(command)
    assert topic is not None
    assert texts and texts[0].startswith(f"<b>{topic.title}</b>")
    assert texts[-1].splitlines()[-1].startswith(FOOTER_START)
    assert all(p["parse_mode"] == "HTML" for p in sent_since(request_layer, before))
    assert all(problems(text) == [] for text in texts)


async def test_dose_tells_what_to_do_about_a_missed_tablet(anna: Person) -> None:
    [text] = await anna.send("/dose")
    assert "1 mg once daily" in text
    assert "never take two doses" in text
    assert "ask your pharmacist" in text
    assert 'href="https://www.nhs.uk/medicines/anastrozole/how-and-when-to-take-anastrozole/"' in (
        text
    )


async def test_start_welcomes_by_name_escaped_with_the_short_disclaimer(
    app: App, request_layer: RecordingRequest
) -> None:
    eve = Person(app, request_layer, chat_id=2002, first_name="<b>Eve</b> & co")
    text, *_onboarding = await eve.send("/start")
    assert text.startswith("Hello &lt;b&gt;Eve&lt;/b&gt; &amp; co")
    assert "not medical advice" in text
    assert "/help" in text
    assert problems(text) == []


async def test_a_red_flag_leads_to_urgent(anna: Person) -> None:
    [text] = await anna.send("I have chest pain since this morning")
    assert "<b>Call emergency services now" in text
    assert "/urgent" in text


async def test_a_question_the_guide_cannot_answer_gets_a_kind_no(anna: Person) -> None:
    [text] = await anna.send("what's the weather tomorrow?")  # alcohol: now in /coping
    assert en("no_match") in text
    assert "/help" in text
    assert "care team" in text


@pytest.mark.parametrize("hostile", [h for h in HOSTILE if h.strip()])
async def test_hostile_text_gets_one_normal_answer(anna: Person, hostile: str) -> None:
    texts = await anna.send(hostile)
    assert len(texts) == 1
    assert texts[0].startswith((en("no_match"), en("safety_foreign"), en("did_you_mean"))) or (
        texts[0].splitlines()[-1].startswith(FOOTER_START)
    )
    assert problems(texts[0]) == []


async def test_unknown_command_suggests_the_closest(anna: Person) -> None:
    texts = await anna.send("/dsoe")
    assert texts == [
        "I don't know the command /dsoe. Did you mean /dose? Tap /help for everything."
    ]


async def test_unknown_command_with_markup_is_escaped(anna: Person) -> None:
    [text] = await anna.send("/<b>zzzzzzzz")
    assert "&lt;b&gt;zzzzzzzz" in text
    assert problems(text) == []


PHOTO = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]


async def test_a_caption_is_read_as_a_message(anna: Person) -> None:
    texts = await anna.send_message(photo=PHOTO, caption="What if I forget a tablet?")
    assert texts == await anna.send("What if I forget a tablet?")
    assert "never take two doses" in "".join(texts)
    texts = await anna.send_message(photo=PHOTO)  # no caption: nothing to read
    assert texts == [en("not_text")]


async def test_stop_says_how_to_stop_each_thing(anna: Person) -> None:
    [answer] = await anna.send("/stop")
    assert all(c in answer for c in ("/remind off", "/following", "/caregivers", "/delete"))
    assert "stop" in anna.app.bot_data["services"].registry.names()


async def test_a_sticker_gets_a_plain_answer(anna: Person) -> None:
    sticker = {
        "file_id": "s",
        "file_unique_id": "s",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    texts = await anna.send_message(sticker=sticker)
    assert texts == [en("not_text")]


async def test_the_menu_publishes_every_command(
    app: App, request_layer: RecordingRequest, services: Services
) -> None:
    menus = {m.get("language_code"): m["commands"] for m in request_layer.sent("setMyCommands")}
    assert set(menus) == {None, "ru"}  # None: the default, English; one per translation
    for published in menus.values():
        names = [c["command"] for c in published]  # type: ignore[union-attr]
        assert set(names) == services.registry.names()
        assert TOPICS | {"start", "help"} <= set(names)


async def test_every_menu_entry_fits_telegrams_limits(
    app: App, request_layer: RecordingRequest
) -> None:
    for published in request_layer.sent("setMyCommands"):
        for entry in published["commands"]:  # type: ignore[union-attr]
            assert re.fullmatch(r"[a-z0-9_]{1,32}", entry["command"]), entry
            assert 3 <= len(entry["description"]) <= 256, entry


@pytest.fixture
async def german_app(tmp_path: Path, request_layer: RecordingRequest) -> AsyncIterator[App]:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "de" / "ui").mkdir(parents=True)
    (content / "de" / "ui" / "core.yaml").write_text(
        "welcome: 'Hallo {name}! Ich erkläre Anastrozol. Siehe /help.'\n"
        "menu_help: Alle Befehle, nach Gruppen\n"
        "help_group_start: Erste Schritte\n",
        encoding="utf-8",
    )
    settings = Settings(
        telegram_bot_token="1:T",
        content_path=content,
        database_path=tmp_path / "bot.db",
        rate_limit=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    application = build_app(settings, request=request_layer)
    async with application:
        await application.post_init(application)  # type: ignore[misc]
        yield application


async def test_translation_folder_is_chosen_by_language_code_with_english_fallback(
    german_app: App, request_layer: RecordingRequest
) -> None:
    greta = Person(
        german_app, request_layer, chat_id=3003, first_name="Greta", language_code="de-AT"
    )
    welcome_de, *_onboarding = await greta.send("/start")
    assert welcome_de == "Hallo Greta! Ich erkläre Anastrozol. Siehe /help."
    [help_text] = await greta.send("/help")
    assert help_text.startswith("<b>What I can do</b>")  # not translated: English
    _spinner, group = await greta.press(greta.buttons()["Erste Schritte"])
    assert group.startswith("<b>Erste Schritte</b>\n/start – Welcome and first steps\n/help – Alle")
    menus = {m.get("language_code"): m["commands"] for m in request_layer.sent("setMyCommands")}
    assert set(menus) == {None, "de", "ru"}  # None: the default, English
    assert {"command": "help", "description": "Alle Befehle, nach Gruppen"} in menus["de"]
    anna = Person(german_app, request_layer, chat_id=3004, language_code="en")
    welcome, *_onboarding = await anna.send("/start")
    assert welcome.startswith("Hello Anna")


@pytest.mark.parametrize(
    ("url", "label"),
    [
        (
            "https://www.nhs.uk/medicines/anastrozole/side-effects-of-anastrozole/",
            "nhs.uk: side effects of anastrozole",
        ),
        ("https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=x", "dailymed.nlm.nih.gov"),
        ("https://guidancebreastcancer.gov.au/node/143", "guidancebreastcancer.gov.au"),
        ("https://doi.org/10.1200/JCO.19.01696", "doi.org"),
    ],
)
def test_source_links_name_the_site_and_page(url: str, label: str) -> None:
    assert source_label(url) == label


async def test_when_unsure_she_chooses_among_the_topics_she_may_mean(anna: Person) -> None:
    """Never a bare apology when something plausible exists ("did you mean")."""
    [text] = await anna.send("Does it matter if I take it at 8am one day and 2pm the next?")
    assert text == en("did_you_mean")
    offered = anna.buttons()
    assert en("did_you_mean_else") in offered and len(offered) >= 2
    topic = next(label for label in offered if label != en("did_you_mean_else"))
    texts = await anna.press(offered[topic])
    assert any(topic in t for t in texts)
    await anna.send("Does it matter if I take it at 8am one day and 2pm the next?")
    [answer] = [t for t in await anna.press(anna.buttons()[en("did_you_mean_else")]) if t]
    assert answer == en("did_you_mean_care")


async def test_nothing_plausible_still_gets_the_kind_no(anna: Person) -> None:
    [text] = await anna.send("can I play the piano?")
    assert en("no_match") in text
