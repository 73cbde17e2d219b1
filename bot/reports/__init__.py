"""Pictures and documents of her record (the /chart PNG, the /report PDF): pure rendering,
no Telegram and no database, so each can be tested and timed alone (`make bench`).

matplotlib and fpdf2 are imported inside the functions: start-up stays fast for a bot that
draws a chart only when asked."""

from __future__ import annotations

from collections.abc import Callable

# Plain interface text for a key and its fields (the catalog's text, HTML unescaped).
Say = Callable[..., str]
