"""The terminal chat: a line in, the bot's answers out, for two people and a movable clock.

Updates go through `application.process_update` as Telegram's would; the Bot API calls the
application makes are read back from the in-process stand-in and shown. Moving the clock
steps it from one due event to the next and runs the scheduler's tick at each, so a jump of
days sends everything on the way, in order, as a running bot would have.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from prompt_toolkit.formatted_text import FormattedText
from telegram import Update

from bot import scheduler
from bot.app import App
from bot.pure.parsing import parse_time
from bot.pure.timerules import epoch, from_epoch, next_daily, resolve
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import BOT_USER
from bot.trial.render import buttons, keyboard, telegram_html
from bot.trial.standin import TrialRequest
from db import events

Output = Callable[[FormattedText], None]

START_LINK = re.compile(r"https://t\.me/(\w+)\?start=([\w-]+)")
_STEPS = re.compile(r"\s*(\d+)\s*([mhdw])", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\s+(.+))?")
_TAGGED = re.compile(r"#(\d+)\s*[ .:]\s*(\d+)")  # "#4 2": message #4, its button 2

HELP = """\
Words for this terminal (not sent to the bot):
  /clock                 show the simulated time
  /clock +1h  +30m  +3d  move the clock forward (+1d2h works too)
  /clock 08:00           move to the next 08:00 in the current person's time zone
  /clock 2026-05-01 9am  move to a day (and time)
  /as caregiver          talk as Carol, who can follow Anna; /as patient to go back
  /open [link]           open an invitation link (the last one shown if none is given)
  /location LAT LON      share a location (for /timezone)
  /words                 this list
  /quit                  leave (Ctrl-D does too)
Anything else goes to the bot as a message. A number presses that button of the last
message with buttons in the current chat; `#4 2` presses button 2 of the message shown
as #4 (any message shown with buttons keeps its number)."""


@dataclass(frozen=True)
class Persona:
    name: str
    chat_id: int
    role: str


PATIENT = Persona("Anna", 1001, "patient")
CAREGIVER = Persona("Carol", 2002, "caregiver")
PEOPLE = {
    "patient": PATIENT,
    "anna": PATIENT,
    "1": PATIENT,
    "caregiver": CAREGIVER,
    "carol": CAREGIVER,
    "2": CAREGIVER,
}


class TrialChat:
    """What the terminal (or a script) types, turned into updates, ticks and shown answers."""

    def __init__(
        self,
        app: App,
        request: TrialRequest,
        clock: FakeClock,
        files: Path,
        out: Output,
        language: str = "en",
    ) -> None:
        self.app = app
        self.request = request
        self.clock = clock
        self.files = files
        self.out = out
        self.language = language
        self.person = PATIENT
        self.last_link: str | None = None
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, id) -> message
        self._with_buttons: dict[int, int] = {}  # chat -> id of the last shown with buttons
        self._tags: dict[int, tuple[int, int]] = {}  # #n -> (chat, id) of a shown message
        self._tag_of: dict[tuple[int, int], int] = {}
        self.saved: list[Path] = []  # files the bot sent, kept after she leaves
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1_000_000)  # hers, apart from the bot's
        self._words: dict[str, Callable[[str], Awaitable[None]]] = {
            "/clock": self._clock,
            "/as": self._switch,
            "/open": self._open,
            "/location": self._location,
            "/words": self._help,
        }

    @property
    def services(self) -> Services:
        found: Services = self.app.bot_data["services"]
        return found

    def say(self, text: str, style: str = "fg:ansibrightblack") -> None:
        """A line of the terminal's own (not the bot's)."""
        self.out(FormattedText([(style, text + "\n")]))

    def prompt(self) -> FormattedText:
        """`Tue 03 Mar 08:00 Anna> `: her local time, so /clock 08:00 reads naturally."""
        return FormattedText(
            [("fg:ansiblue", f"{self._local(self.person)} "), ("bold", f"{self.person.name}> ")]
        )

    async def handle(self, line: str) -> bool:
        """One line typed; False when it asks to leave."""
        line = line.strip()
        word, _, rest = line.partition(" ")
        if word.lower() in ("/quit", "/exit"):
            return False
        action = self._words.get(word.lower())
        if action is not None:
            await action(rest.strip())
        elif line.isdigit():
            chat = self.person.chat_id
            await self._press((chat, self._with_buttons.get(chat, 0)), int(line))
        elif tagged := _TAGGED.fullmatch(line):
            await self._press_tagged(int(tagged[1]), int(tagged[2]))
        elif line:
            await self._send({"text": line, **_command_entity(line)})
        await self._tick()
        return True

    # What she does

    def _user(self) -> dict[str, Any]:
        return {
            "id": self.person.chat_id,
            "is_bot": False,
            "first_name": self.person.name,
            "language_code": self.language,
        }

    def _chat(self) -> dict[str, Any]:
        return {"id": self.person.chat_id, "type": "private", "first_name": self.person.name}

    async def _feed(self, update: dict[str, Any]) -> None:
        data = {"update_id": next(self._update_ids), **update}
        await self.app.process_update(Update.de_json(data, self.app.bot))
        self._show()

    async def _send(self, content: dict[str, Any]) -> None:
        message = {
            "message_id": next(self._message_ids),
            "date": epoch(self.clock.now()),
            "chat": self._chat(),
            "from": self._user(),
            **content,
        }
        await self._feed({"message": message})

    async def _press_tagged(self, tag: int, number: int) -> None:
        found = self._tags.get(tag)
        if found is None or found[0] != self.person.chat_id:
            self.say(f"There is no message #{tag} with buttons in {self.person.name}'s chat.")
            return
        await self._press(found, number)

    async def _press(self, key: tuple[int, int], number: int) -> None:
        chat = key[0]
        message = self._messages.get(key, {})
        pressable = buttons(message.get("reply_markup"))
        if not 1 <= number <= len(pressable):
            self.say(f"That message of {self.person.name}'s has no button {number}.")
            return
        button = pressable[number - 1]
        if "callback_data" in button:
            query = {
                "id": str(next(self._update_ids)),
                "from": self._user(),
                "chat_instance": str(chat),
                "data": button["callback_data"],
                "message": {**message, "from": BOT_USER},
            }
            await self._feed({"callback_query": query})
        elif "url" in button:
            self.say(f"(opens {unquote(button['url'])})")
            self._note_link(unquote(button["url"]))
        elif button.get("request_location"):
            self.say("(Telegram would send where she is; here write /location 52.52 13.40)")
        elif "keyboard" in message.get("reply_markup", {}):  # a reply keyboard sends its text
            await self._send({"text": button["text"]})
        else:
            self.say("(this button does nothing outside Telegram)")

    async def _open(self, link: str) -> None:
        found = START_LINK.search(link or self.last_link or "")
        if found is None:
            self.say("No invitation link to open yet: Anna can ask for one with /invite.")
            return
        text = f"/start {found.group(2)}"
        self.say(f"({self.person.name} opens the link: Telegram sends {text})")
        await self._send({"text": text, **_command_entity(text)})

    async def _location(self, rest: str) -> None:
        try:
            latitude, longitude = (float(part) for part in rest.replace(",", " ").split())
        except ValueError:
            self.say("Write it as /location 52.52 13.40 (latitude, longitude).")
            return
        await self._send({"location": {"latitude": latitude, "longitude": longitude}})

    async def _switch(self, who: str) -> None:
        chosen = PEOPLE.get(who.lower())
        if chosen is not None:
            self.person = chosen
        self.say(
            f"You are {self.person.name} ({self.person.role}). "
            "Switch with /as patient or /as caregiver.",
            "fg:ansiblue",
        )

    async def _help(self, _: str) -> None:
        self.say(HELP)

    # The clock

    async def _clock(self, rest: str) -> None:
        now = self.clock.now()
        if rest:
            target = self._target(rest, now)
            if target is None:
                self.say("Try /clock +1h, /clock +3d, /clock 08:00 or /clock 2026-05-01 09:00.")
                return
            if target <= now:
                self.say("The clock only moves forward (reminders already sent stay sent).")
                return
            await self._move_to(target)
        zone = self.services.zone(self.person.chat_id).key
        where = "" if zone == "UTC" else f" ({zone})"
        self.say(f"It is now {self._local(self.person)}{where}.", "fg:ansiblue")

    def _target(self, text: str, now: datetime) -> datetime | None:
        zone = self.services.zone(self.person.chat_id)
        if text.startswith("+"):
            steps = _STEPS.findall(text[1:])
            if not steps or _STEPS.sub("", text[1:]).strip():
                return None
            moves = {_UNITS[unit.lower()]: 0 for _, unit in steps}
            for amount, unit in steps:
                moves[_UNITS[unit.lower()]] += int(amount)
            return now + timedelta(**moves)
        on_day = _DAY.fullmatch(text)
        if on_day is not None:
            try:
                day = date.fromisoformat(on_day.group(1))
            except ValueError:
                return None
            at = parse_time(on_day.group(2)) if on_day.group(2) else time(0, 0)
            return None if at is None else resolve(day, at, zone)
        at = parse_time(text)
        return None if at is None else next_daily(at, zone, now)

    async def _move_to(self, target: datetime) -> None:
        """Stop at every due event on the way, so nothing is late or skipped."""
        while (due := events.earliest(self.services.db)) is not None and due <= epoch(target):
            self.clock.set(max(self.clock.now(), from_epoch(due)))
            await self._tick()
        self.clock.set(target)

    async def _tick(self) -> None:
        await scheduler.tick(self.app.bot, self.services)
        self._show()

    # What the bot did

    def _show(self) -> None:
        calls = list(self.request.calls)
        self.request.clear()
        for call in calls:
            params = call.params
            if call.method == "answerCallbackQuery":
                if params.get("text"):
                    self.say(f"(pop-up) {params['text']}", "italic")
            elif params.get("_files"):  # sendDocument, sendPhoto
                self._document(params)
            elif call.method.startswith(("send", "edit")) and "chat_id" in params:
                self._message(call.method, params)

    def _recipient(self, chat_id: Any) -> Persona:
        for person in (PATIENT, CAREGIVER):
            if str(person.chat_id) == str(chat_id):
                return person
        return Persona(str(chat_id), int(chat_id), "someone")

    def _local(self, person: Persona) -> str:
        zone = self.services.zone(person.chat_id)
        return self.clock.now().astimezone(zone).strftime("%a %d %b %H:%M %Z")

    def _header(self, person: Persona, note: str = "") -> None:
        elsewhere = "" if person == self.person else f"  (in {person.name}'s chat)"
        self.say(f"── {self._local(person)} bot → {person.name}{note}{elsewhere}")

    def _message(self, method: str, params: dict[str, Any]) -> None:
        person = self._recipient(params["chat_id"])
        key = (person.chat_id, int(params.get("message_id") or 0))
        markup = params.get("reply_markup")  # an edit without one removes the keyboard
        message = {
            "message_id": key[1],
            "date": epoch(self.clock.now()),
            "chat": {"id": person.chat_id, "type": "private"},
            "text": params.get("text", self._messages.get(key, {}).get("text", "")),
            **({"reply_markup": markup} if markup else {}),
        }
        self._messages[key] = message
        self._header(person, "" if method == "sendMessage" else " (edits an earlier message)")
        self.out(telegram_html(str(message["text"])))
        self.out(FormattedText([("", "\n")]))
        if buttons(markup):
            self._with_buttons[person.chat_id] = key[1]
            tag = self._tag_of.setdefault(key, len(self._tag_of) + 1)
            self._tags[tag] = key
            self.out(keyboard(markup))
            self.say(f"(#{tag})")
        elif self._with_buttons.get(person.chat_id) == key[1]:
            del self._with_buttons[person.chat_id]
        self._note_link(str(message["text"]))

    def _document(self, params: dict[str, Any]) -> None:
        person = self._recipient(params.get("chat_id"))
        self._header(person)
        for name, content, _mime in params.get("_files", {}).values():
            data = content if isinstance(content, bytes) else content.read()
            self.files.mkdir(parents=True, exist_ok=True)
            path = _free(self.files / Path(str(name)).name)
            path.write_bytes(data)
            self.saved.append(path)
            self.say(f"file: {path.name} ({len(data)} bytes) saved to {path}", "")
        if params.get("caption"):
            self.out(telegram_html(str(params["caption"])))
            self.out(FormattedText([("", "\n")]))

    def _note_link(self, text: str) -> None:
        found = START_LINK.search(text)
        if found is None or found.group(0) == self.last_link:
            return
        self.last_link = found.group(0)
        self.say(
            "(To open this link as Carol: /as caregiver, then /open)",
            "fg:ansiblue",
        )


def _free(path: Path) -> Path:
    """The path, or with ~2, ~3 ... before its suffix: a second chart never overwrites the
    first."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}~{n}{path.suffix}")
    return candidate


def _command_entity(text: str) -> dict[str, Any]:
    """Telegram marks a leading /command; the command handlers look for that mark."""
    if not text.startswith("/"):
        return {}
    return {"entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}
