"""The pure part of bot/: domain rules (time, dates, adherence, permissions, the safety net,
places, her words) and the framework's pure pieces (the callback codec, content, the
interface text, signals, the clock). Nothing here imports Telegram, the database layer or a
feature: import-linter checks the whole package by its name, so a new module here is
covered the day it lands, and each can be tested alone and fast."""
