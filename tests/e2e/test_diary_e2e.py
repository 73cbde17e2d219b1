"""The diary through `python -m bot` and the fake Bot API: a symptom logged with buttons and
a note, then /chart arrives as a photo (sendPhoto) and /report as a PDF (sendDocument)."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from tests.e2e.conftest import BotProcess
from tests.fake_bot_api import Call, FakeBotApi

PATIENT = 801


def sent(method: str, text: str = "") -> Any:
    def match(call: Call) -> bool:
        name, params = call
        shown = str(params.get("text") or params.get("caption") or "")
        return name == method and str(params.get("chat_id")) == str(PATIENT) and text in shown

    return match


def test_log_a_symptom_then_get_the_chart_and_the_report(
    api: FakeBotApi, bot_process: BotProcess
) -> None:
    api.user_says(PATIENT, "/log", first_name="Petra")
    api.wait_for(sent("sendMessage", "What would you like to note?"))
    api.user_presses(PATIENT, "diary:pick:flushes", first_name="Petra")
    api.wait_for(sent("editMessageText", "how bad has it been?"))
    api.user_presses(PATIENT, "diary:rate:flushes:2", first_name="Petra")
    api.wait_for(sent("editMessageText", "Want to add a short note"))
    api.user_says(PATIENT, "mostly at night", first_name="Petra")
    api.wait_for(sent("sendMessage", "with your note"))

    api.user_says(PATIENT, "/chart", first_name="Petra")
    _, photo = api.wait_for(sent("sendPhoto"))
    assert photo["photo"]["filename"].startswith("anastrozole-chart-30-days-Petra-")
    assert photo["photo"]["bytes"].startswith(b"\x89PNG\r\n\x1a\n")

    api.user_says(PATIENT, "/report", first_name="Petra")
    _, report = api.wait_for(sent("sendDocument"))
    assert report["document"]["filename"].startswith("anastrozole-report-Petra-")
    reader = PdfReader(io.BytesIO(report["document"]["bytes"]))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert 1 <= len(reader.pages) <= 2
    assert "Hot flushes" in text and "mostly at night" in text
