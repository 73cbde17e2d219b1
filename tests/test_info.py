from tests.support import Person


async def test_dose_command_answers_from_the_content_file(anna: Person) -> None:
    texts = await anna.send("/dose")
    assert len(texts) == 1
    assert "1 mg once daily" in texts[0]
    assert "care team" in texts[0] or "oncologist" in texts[0]


async def test_unknown_command_suggests_the_closest(anna: Person) -> None:
    texts = await anna.send("/dsoe")
    assert texts == [
        "I don't know the command /dsoe. Did you mean /dose? Tap /help for everything."
    ]
