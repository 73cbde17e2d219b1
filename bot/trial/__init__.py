"""`make try`: the real application against an in-process Bot API stand-in, a movable clock
and a chat in the terminal, so anyone can try the bot with no token and no network."""

from __future__ import annotations

import argparse


def options(parser: argparse.ArgumentParser) -> None:
    """The options of `python -m bot try` (here, so reading them needs no prompt_toolkit)."""
    parser.add_argument(
        "--script",
        metavar="FILE",
        help="type the lines of FILE ('-': standard input, as when it is piped) instead",
    )
    parser.add_argument("--language", default="en", help="the people's Telegram language")
