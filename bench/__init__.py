"""`make bench` (python -m bench): the bot measured against python-telegram-bot's own
ceiling and against the usual one-JobQueue-job-per-patient design, in one run.

docs/performance.md explains the method and holds the results.
"""
