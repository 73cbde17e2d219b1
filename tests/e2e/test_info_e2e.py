from tests.e2e.conftest import BotProcess
from tests.fake_bot_api import FakeBotApi


def test_dose_answer_through_real_process(api: FakeBotApi, bot_process: BotProcess) -> None:
    start = len(api.calls)
    api.user_says(42, "/dose")
    _method, params = api.wait_for(
        lambda c: c[0] == "sendMessage" and c[1].get("chat_id") == "42", start=start
    )
    assert "1 mg" in params["text"]
    assert params["parse_mode"] == "HTML"
