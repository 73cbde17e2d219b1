"""The /chart picture: doses taken, skipped and missed, and symptom severities, day by day.

Drawn for a phone: tall rather than wide, large type, one colour per symptom with a marker
per entry, and the legend under the plot where it hides nothing."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from bot.pure.adherence import effective
from bot.pure.dates import ENGLISH, Names, show_short
from bot.pure.diary import SEVERITIES, SYMPTOMS
from bot.reports import Say
from db.diary import Entry

DOSE_COLOURS = {"taken": "#2e7d32", "skipped": "#9e9e9e", "missed": "#c62828"}
SYMPTOM_COLOURS = (
    "#1565c0",
    "#ef6c00",
    "#6a1b9a",
    "#00838f",
    "#ad1457",
    "#558b2f",
    "#4e342e",
    "#f9a825",
    "#283593",
    "#757575",
)
MIN_DAYS = 14  # a new patient's chart still shows two weeks
MARKERS = "os^DvPX*<>"  # a shape per symptom too, for eyes that mix the colours


def span(today: date, days: int, doses: Mapping[date, str], entries: Sequence[Entry]) -> int:
    """The days a chart shows: `days`, or fewer when her records begin later (a new
    patient's 90-day chart would be nine tenths empty), never under MIN_DAYS."""
    recorded = [d for d in doses if d <= today]
    recorded += [e.local_date for e in entries if e.local_date <= today]
    since = (today - min(recorded)).days + 1 if recorded else 0
    return max(MIN_DAYS, min(days, since))


def chart_png(
    say: Say,
    today: date,
    days: int,
    doses: Mapping[date, str],
    entries: Sequence[Entry],
    size: tuple[float, float] = (6.4, 7.2),
    dpi: int = 140,
    names: Names = ENGLISH,
) -> bytes:
    """A PNG of up to `days` ending today (`span`), dates in her language (`names`). `doses`
    maps a day to its stored dose status."""
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure

    days = span(today, days, doses, entries)
    first = today - timedelta(days=days - 1)
    figure = Figure(figsize=size, dpi=dpi, layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": (1, 3)})
    figure.suptitle(say("diary_chart_title", days=days), fontsize=15, fontweight="bold")

    for status, colour in DOSE_COLOURS.items():
        shown = [
            day
            for day, stored in doses.items()
            if first <= day <= today and effective(stored, day, today) == status
        ]
        top.bar(
            shown,
            [1] * len(shown),
            width=0.8,
            color=colour,
            label=f"{say(f'diary_chart_{status}')} ({len(shown)})",
        )
    top.set_yticks([])
    top.set_title(say("diary_chart_doses"), fontsize=12, loc="left")
    top.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3, fontsize=12, frameon=False)

    shown_entries = [e for e in entries if first <= e.local_date <= today]
    for index, symptom in enumerate(SYMPTOMS):
        logged = sorted(
            (e for e in shown_entries if e.symptom == symptom), key=lambda e: (e.local_date, e.id)
        )
        if not logged:
            continue
        bottom.plot(
            [e.local_date for e in logged],
            [e.severity for e in logged],
            marker=MARKERS[index],
            markersize=7,
            linewidth=2,
            color=SYMPTOM_COLOURS[index],
            label=say(f"diary_symptom_{symptom}"),
        )
    bottom.set_yticks(SEVERITIES, [say(f"diary_severity_{s}") for s in SEVERITIES], fontsize=11)
    bottom.set_ylim(-0.3, 3.3)
    bottom.set_title(say("diary_chart_symptoms"), fontsize=12, loc="left")
    bottom.grid(axis="y", alpha=0.3)
    if shown_entries:
        bottom.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, fontsize=12, frameon=False
        )
    else:
        bottom.text(
            0.5,
            0.5,
            say("diary_chart_no_symptoms"),
            ha="center",
            va="center",
            transform=bottom.transAxes,
            fontsize=12,
            color="#616161",
        )
    bottom.set_xlim(first - timedelta(days=1), today + timedelta(days=1))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(  # "4 Dec", "4 дек.": her language's month names
        lambda value, _position: show_short(
            mdates.num2date(value).date(),  # type: ignore[no-untyped-call]
            names,
        )
    )
    bottom.tick_params(axis="x", labelsize=11)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
