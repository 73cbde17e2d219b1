"""Personal worries get practical help (/coping), plain questions about an effect get the
side effects: asking what helps ("what can I do about hot flushes", "что делать с
приливами"), complaining ("the hot flushes at night are awful", "приливы замучили") or
worrying ("will this make my bones brittle?") is answered by /coping's passage on that effect,
not the short /sideeffects bullet; "is X a side effect", "how common is X" still are.

The table was written before the matcher was changed for it. First contact: personal en 14/30,
ru 14/30; plain en 6/8, ru 5/8. With `helps:` (content/<language>/synonyms.yaml, coping.md):
personal en 30/30, ru 27/30; plain en 8/8, ru 7/8; the misses are marked below, not removed.
The second table, after the changes it led to: en 14/15, ru 15/15."""

from __future__ import annotations

import pytest

from bot.matcher import Matcher
from bot.pure.safety import Detector
from bot.pure.smalltalk import SmallTalk
from tests.support import shown_first

PERSONAL = {
    "en": [
        "what can I do about hot flushes",
        "The hot flushes at night are awful",
        "what can I do to protect my bones?",
        "I'm so tired all the time",
        "will this make my bones brittle?",
        "how do I cope with the hot flushes",
        "is there anything for the night sweats",
        "the sweats are driving me mad, any tips?",
        "how can I stop these hot flushes",
        "what helps with joint pain on anastrozole",
        "my joints ache so much in the mornings, what can I do",
        "how do I ease the stiffness in my joints",
        "I'm exhausted, how do I get through the day",
        "what can I do about the tiredness",
        "I can't sleep, what can I try",
        "I lie awake every night, how can I sleep better",
        "any advice for vaginal dryness",
        "the dryness down below is awful, what can I use",
        "my hair is falling out, what can I do",
        "I keep getting headaches, what can I take for them",
        "I feel sick all the time, what helps with the nausea",
        "I feel so low and weepy, what can I do",
        "how can I keep my bones strong on this tablet",
        "I'm worried about my bones getting weaker",
        "what should I eat to look after my bones",
        "my hot flushes are unbearable",
        "the tiredness is terrible",
        "how do I manage the aching joints",
        "is there anything I can do for my low mood",
        "I'm struggling with the hot flushes",
    ],
    "ru": [
        "что делать с приливами",
        "приливы ночью ужасные",
        "как справиться с приливами",
        "что помогает от приливов",
        "как облегчить приливы",
        "приливы замучили, что посоветуете",
        "как защитить кости",
        "боюсь, что кости станут хрупкими",
        "от этих таблеток кости станут ломкими?",
        "я всё время устаю, что делать",
        "постоянная усталость, сил нет",
        "как бороться с усталостью",
        "не могу уснуть, что попробовать",
        "плохо сплю ночами, как наладить сон",
        "суставы болят, что помогает",
        "как облегчить боль в суставах",
        "ломит колени по утрам, что делать",
        "сухость во влагалище, чем пользоваться",
        "волосы выпадают, что делать",
        "часто болит голова, что можно принять",
        "тошнит постоянно, как с этим справиться",
        "настроение на нуле, как быть",
        "как укрепить кости на анастрозоле",
        "что есть, чтобы кости были крепкими",
        "потливость по ночам замучила",
        "приливы невыносимые",
        "усталость ужасная",
        "как уменьшить скованность в суставах",
        "есть ли что-то от приливов",
        "как пережить приливы",
    ],
}
# A second table, written after that change and measured once on it (en 9/15, ru 13/15): the
# `helps:` words then grew ("what do you recommend", "сводят с ума"), /coping's bone passage
# names osteoporosis as the guide does, and sleepy and «хочется спать» are tiredness.
SECOND = {
    "en": [
        "the hot flushes are driving me crazy",
        "how can I get some sleep",
        "any way to ease the joint pain",
        "what do you recommend for tiredness",
        "I'm exhausted all the time, help",
        "night sweats every night, so miserable",
        "I'm worried about osteoporosis",
        "what helps with nausea",
        "is there anything I can take for headaches",
        "my vagina is so dry it hurts, what can I use",
        "how do I keep my bones healthy",
        "the joint pain is unbearable in the mornings",
        "I feel so down all the time",
        "tips for sleeping better on anastrozole",
        "how to cope with hot flashes",
    ],
    "ru": [
        "приливы сводят с ума, что делать",
        "как мне быть с бессонницей",
        "посоветуйте что-нибудь от сухости",
        "суставы болят ужасно по утрам",
        "постоянно хочется спать, как справиться",
        "как уберечь кости от остеопороза",
        "что помогает от тошноты",
        "голова болит постоянно, что принять",
        "настроение ужасное, всё время плачу",
        "замучила бессонница",
        "как облегчить боль в коленях",
        "я боюсь за свои кости",
        "что делать с усталостью на анастрозоле",
        "приливы по ночам не дают спать, как быть",
        "потею ужасно, что можно сделать",
    ],
}
PLAIN = {
    "en": [
        "hot flushes",
        "is tiredness a side effect of anastrozole",
        "how common are hot flushes",
        "does anastrozole cause joint pain",
        "what are the side effects",
        "can anastrozole cause osteoporosis",
        "is nausea a side effect",
        "what are the serious side effects",
    ],
    "ru": [
        "приливы",
        "усталость — это побочный эффект?",
        "как часто бывают приливы",
        "вызывает ли анастрозол боль в суставах",
        "какие побочные эффекты",
        "может ли анастрозол вызвать остеопороз",
        "тошнота бывает от анастрозола?",
        "какие серьёзные побочные эффекты",
    ],
}


# Still missed, and why: no word of asking or suffering ("боюсь" is "боится" too, someone
# else's fear, as stems), "что есть" is "what to eat", and "как часто" finds /everyday's
# "частые побочные эффекты".
MISSED = {
    "боюсь, что кости станут хрупкими",
    "от этих таблеток кости станут ломкими?",
    "что есть, чтобы кости были крепкими",
    "как часто бывают приливы",
    "how do I keep my bones healthy",  # "healthy" is in no bone passage's own words
}


def table(questions: dict[str, list[str]]) -> list[object]:
    return [
        pytest.param(language, q, marks=[pytest.mark.xfail(strict=True)] if q in MISSED else [])
        for language, asked in questions.items()
        for q in asked
    ]


@pytest.mark.parametrize(("language", "question"), table(PERSONAL) + table(SECOND))
def test_a_personal_worry_gets_what_helps(
    matcher: Matcher, detector: Detector, talk: SmallTalk, language: str, question: str
) -> None:
    assert shown_first(matcher, detector, talk, question, language) == "coping"


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("en", "what can I do if I took two pills"),
        ("en", "what should I do if I miss a dose"),
        ("ru", "что делать если выпила две таблетки"),
        ("ru", "что делать если вырвало после таблетки?"),
        ("ru", "можно ли уменьшить дозу"),
    ],
)
def test_asking_for_help_with_her_tablet_gets_the_dose(
    matcher: Matcher, language: str, question: str
) -> None:
    """Found in the full run and by hand after the change, not in the first table."""
    assert matcher.search(question, language)[0].command == "dose"


@pytest.mark.parametrize(("language", "question"), table(PLAIN))
def test_a_plain_question_about_an_effect_gets_the_side_effects(
    matcher: Matcher, detector: Detector, talk: SmallTalk, language: str, question: str
) -> None:
    assert shown_first(matcher, detector, talk, question, language) == "sideeffects"
