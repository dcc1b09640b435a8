"""TrendChart: a milestone's slip over time as a one-line sparkline with its first and last value.

Milestone trend analysis plots the forecast's slip each time it was recorded; a rising line
is a milestone that keeps slipping. The direction also has an arrow and a word, so the chart
reads without colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from itpm_tui.domain.schedule import MilestoneTrend, TrendDirection

BLOCKS = "▁▂▃▄▅▆▇█"
"""Eight heights; the lowest is no slip (or the least slip shown)."""

ARROWS: dict[TrendDirection, str] = {
    TrendDirection.SLIPPING: "↗",
    TrendDirection.STABLE: "→",
    TrendDirection.RECOVERING: "↘",
}
"""Which way the latest forecast change moved the slip."""


def sparkline(slips: Sequence[int], width: int) -> str:
    """The last ``width`` slips as block heights; 0 and anything ahead of plan sit at the bottom.

    The scale runs from the lower of 0 and the smallest slip to the largest, so a milestone
    that has only ever slipped a little still shows a rise, and an empty history is "".
    """
    values = list(slips)[-width:] if width > 0 else []
    if not values:
        return ""
    low = min(0, *values)
    high = max(*values, low + 1)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[round((v - low) / (high - low) * top)] for v in values)


def signed_days(slip: int) -> str:
    """``+15 wd``, ``0 wd``, ``-2 wd``."""
    return f"{slip:+d} wd" if slip else "0 wd"


def trend_text(trend: MilestoneTrend, width: int) -> Text:
    """The chart for a width: sparkline and arrow, then as much of the story as fits."""
    points = trend.points
    if not points:
        return Text("no forecast recorded", style="dim", no_wrap=True)
    arrow = ARROWS[trend.direction]
    first, last = points[0], points[-1]
    spark = sparkline([p.slip for p in points], min(len(points), max(width // 3, 4)))
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(spark, style="bold")
    text.append(f" {arrow} {trend.direction.value}")
    if len(points) == 1:
        story = f" · {signed_days(last.slip)} since {last.recorded_on:%d %b}"
        count = " (1 forecast)"
    else:
        story = (
            f" · {signed_days(first.slip)} on {first.recorded_on:%d %b}"
            f" → {signed_days(last.slip)} on {last.recorded_on:%d %b}"
        )
        count = f" ({len(points)} forecasts)"
    for extra in (story, count):
        if text.cell_len + len(extra) <= width:
            text.append(extra, style="dim")
    return text


class TrendChart(Widget):
    """One line: ``▁▃▅▇█ ↗ slipping · 0 wd on 26 Oct → +15 wd on 19 Nov (5 forecasts)``."""

    DEFAULT_CSS = """
    TrendChart {
        height: 1;
        width: 1fr;
    }
    """

    trend: reactive[MilestoneTrend | None] = reactive(None)
    """The milestone trend to draw (``None``: nothing to show)."""

    def render(self) -> Text:
        """The chart, fitted to the widget's width."""
        if self.trend is None:
            return Text("")
        return trend_text(self.trend, self.size.width)
