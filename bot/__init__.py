"""The anastrozole companion: a Telegram bot for patients on anastrozole and their caregivers."""
