"""The Bot API stand-in `make try` runs against, in the same process: no token, no network."""

from __future__ import annotations

from typing import Any

from bot.trial.recording_request import RecordingRequest

TOKEN = "0:offline-trial"  # never leaves the process


class TrialRequest(RecordingRequest):
    """Answers like Telegram (see RecordingRequest) and notes on each recorded call the id
    of the message it made, so the terminal knows which message a later button belongs to."""

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        result = super()._result(method, params)
        if isinstance(result, dict) and "message_id" in result:
            params["message_id"] = result["message_id"]
        return result
