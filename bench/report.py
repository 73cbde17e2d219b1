"""The /report PDF for a year of one patient's data (daily doses, a symptom every other day,
notes), timed alone: the rendering has no Telegram and no database (bot/reports/)."""

from __future__ import annotations

import html
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from bot.pure.diary import SYMPTOMS
from bot.pure.i18n import FALLBACK, Catalog
from bot.reports.pdf import CheckDates, ReportData, report_pdf
from db.diary import Entry

DAYS = 365


def year_of_data(today: date) -> ReportData:
    statuses = ("taken",) * 12 + ("skipped", "missed")
    doses = {today - timedelta(days=n): statuses[n % len(statuses)] for n in range(DAYS)}
    entries = [
        Entry(n, today - timedelta(days=DAYS - n), SYMPTOMS[n % 5], n % 4, "stiff" * (n % 3))
        for n in range(0, DAYS, 2)
    ]
    checks = [CheckDates("Bone-density (DEXA) scan", today - timedelta(days=400), today)]
    return ReportData("Anna", today, today - timedelta(days=DAYS), 5, doses, entries, checks)


def report_seconds(content: Path, rounds: int) -> tuple[float, float]:
    """(first call, including the lazy imports of matplotlib and fpdf2; median of the rest)."""
    catalog = Catalog.load(content)

    def say(key: str, **values: object) -> str:
        return html.unescape(catalog.text(FALLBACK, key, **values))

    data = year_of_data(date.today())
    times = []
    for _ in range(rounds + 1):
        started = time.perf_counter()
        report_pdf(say, data)
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:])
