"""`make try`: the real application against an in-process Bot API stand-in, a movable clock
and a chat in the terminal, so anyone can try the bot with no token and no network."""
