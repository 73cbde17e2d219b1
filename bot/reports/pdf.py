"""The /report PDF for her oncologist: treatment progress, adherence by month, missed doses,
her other medicines' doses over the same months, symptoms (a table and the chart),
check-up dates and what the report is (and is not), on two pages (a third for a long list
of other medicines), every date in her language.

Text is set in DejaVu Sans from matplotlib's own font folder: a Unicode font that ships with
a dependency, so a name or a note in any script prints instead of failing."""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from babel.numbers import format_decimal

from bot.pure.adherence import effective
from bot.pure.dates import ENGLISH, Names, add_months, progress, show, show_month
from bot.pure.diary import trends
from bot.queries import Tally
from bot.reports import Say
from bot.reports.chart import chart_png
from db.diary import Entry

CHART_DAYS = 90
MONTHS = 12
MISSED_SHOWN = 20
NOTES_SHOWN = 5
FONT = "DejaVu"
# fpdf2 logs the characters a font lacks: they would come from her notes or name.
logging.getLogger("fpdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class CheckDates:
    title: str
    last: date | None
    due: date | None


@dataclass(frozen=True)
class ReportData:
    name: str
    today: date
    started: date | None
    years: int | None
    doses: Mapping[date, str]  # stored status per local day (a past pending day is missed)
    entries: Sequence[Entry]
    checks: Sequence[CheckDates]
    names: Names = ENGLISH  # dates in her language
    full_name: str = ""  # as she gave them for the report (`/report name`, `/report born`)
    born: date | None = None
    medicines: Sequence[Tally] = ()  # her other medicines' doses since first_month(today)


@dataclass(frozen=True)
class Month:
    first: date
    taken: int
    skipped: int
    missed: int


def percent(taken: int, skipped: int, missed: int) -> int | None:
    total = taken + skipped + missed
    return round(100 * taken / total) if total else None


def first_month(today: date, months: int = MONTHS) -> date:
    """The first day of the report's period: the last `months` months, today's the last."""
    return add_months(today.replace(day=1), -(months - 1))


def by_month(doses: Mapping[date, str], today: date, months: int = MONTHS) -> list[Month]:
    """Dose counts per calendar month, the last `months` ending with today's, oldest first;
    months before the first dose are left out."""
    counted: dict[date, list[int]] = {}
    start = first_month(today, months)
    for day, stored in doses.items():
        status = effective(stored, day, today)
        if day < start or day > today or status not in ("taken", "skipped", "missed"):
            continue
        row = counted.setdefault(day.replace(day=1), [0, 0, 0])
        row[("taken", "skipped", "missed").index(status)] += 1
    return [Month(first, *counted[first]) for first in sorted(counted)]


def _font_folder() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def report_pdf(say: Say, data: ReportData) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(True, margin=14)
    folder = _font_folder()
    pdf.add_font(FONT, "", folder / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", folder / "DejaVuSans-Bold.ttf")
    pdf.set_title(say("diary_report_title"))
    pdf.add_page()
    width = pdf.epw

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font(FONT, "B", 12)
        pdf.cell(width, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 10)

    def line(text: str) -> None:
        pdf.multi_cell(width, 5.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(rows: list[tuple[str, ...]], widths: tuple[int, ...]) -> None:
        with pdf.table(col_widths=widths, line_height=6, text_align="LEFT") as grid:
            for row in rows:
                cells = grid.row()
                for value in row:
                    cells.cell(value)
        pdf.ln(1.5)

    def counts(first: str, rows: list[tuple[str, int, int, int]]) -> None:
        """Taken, skipped, missed and the percent taken: by month, or by medicine."""
        columns = (first, "taken", "skipped", "missed", "percent")
        header = tuple(say(f"diary_report_col_{c}") for c in columns)
        shown = [
            (name, str(t), str(s), str(m), "" if (p := percent(t, s, m)) is None else f"{p}%")
            for name, t, s, m in rows
        ]
        table([header, *shown], (30, 17, 17, 17, 19))

    pdf.set_font(FONT, "B", 16)
    pdf.cell(width, 9, say("diary_report_title"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    made = show(data.today, data.names)
    if data.born is not None:
        born = show(data.born, data.names)
        line(say("diary_report_for_born", name=data.full_name or data.name, born=born, day=made))
    else:
        line(say("diary_report_for", name=data.full_name or data.name, day=made))

    heading(say("diary_report_treatment"))
    if data.started is not None and data.years is not None:
        done = progress(data.started, data.years, data.today)
        line(
            say(
                "diary_report_progress",
                started=show(data.started, data.names),
                years=data.years,
                day=format_decimal(done.day, locale=data.names.locale),  # 1,826 / 1 826
                total=format_decimal(done.total, locale=data.names.locale),
                percent=done.percent,
            )
        )
    else:
        line(say("diary_report_no_start"))
    for check in data.checks:
        last = show(check.last, data.names) if check.last else say("diary_report_none")
        due = show(check.due, data.names) if check.due else say("diary_report_none")
        line(say("diary_report_check", title=check.title, last=last, due=due))

    heading(say("diary_report_adherence"))
    months = by_month(data.doses, data.today)
    if months:
        counts(
            "month",
            [(show_month(m.first, data.names), m.taken, m.skipped, m.missed) for m in months],
        )
    else:
        line(say("diary_report_no_doses"))
    recent = data.today - timedelta(days=CHART_DAYS - 1)
    missed = sorted(
        day
        for day, stored in data.doses.items()
        if recent <= day <= data.today and effective(stored, day, data.today) == "missed"
    )
    listed = ", ".join(show(d, data.names) for d in missed[-MISSED_SHOWN:])
    if missed:
        line(say("diary_report_missed", days=CHART_DAYS, count=len(missed), listed=listed))
    else:
        line(say("diary_report_missed_none", days=CHART_DAYS))
    if data.medicines:
        heading(say("diary_report_medicines", first=show(first_month(data.today), data.names)))
        counts("medicine", [(m.name, m.taken, m.skipped, m.missed) for m in data.medicines])

    heading(say("diary_report_symptoms", days=CHART_DAYS))
    found = trends(data.entries, data.today, CHART_DAYS)
    if found:
        header = tuple(
            say(f"diary_report_col_{c}") for c in ("symptom", "times", "worst", "latest", "trend")
        )
        rows = [
            (
                say(f"diary_symptom_{t.symptom}"),
                str(t.count),
                say(f"diary_severity_{t.worst}"),
                say(f"diary_severity_{t.latest.severity}")
                + f", {show(t.latest.local_date, data.names)}",
                say(f"diary_trend_{t.direction}"),
            )
            for t in found
        ]
        table([header, *rows], (40, 14, 22, 38, 26))
    else:
        line(say("diary_report_no_symptoms"))
    notes = [e for e in data.entries if e.note and e.local_date >= recent][-NOTES_SHOWN:]
    if notes:
        heading(say("diary_report_notes"))
        for entry in reversed(notes):
            symptom = say(f"diary_symptom_{entry.symptom}")
            line(f"{show(entry.local_date, data.names)}, {symptom}: {entry.note}")

    picture = chart_png(
        say,
        data.today,
        CHART_DAYS,
        data.doses,
        data.entries,
        size=(7.0, 5.4),
        dpi=150,
        names=data.names,
    )
    if pdf.get_y() + width * 5.4 / 7.0 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(2)
    pdf.image(io.BytesIO(picture), w=width)

    heading(say("diary_report_disclaimer"))
    pdf.set_font(FONT, "", 8.5)
    about = say("diary_report_disclaimer_text")  # plain text that fits every country
    pdf.multi_cell(width, 4.5, about, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
