"""The weekly status report as Markdown, self-contained HTML, or exact JSON data.

Pure text from a ``StatusReport``. Exception-first: a section with nothing to act on is one
line with ``✓``. Stored text (titles, names, reasons, notes) is escaped for each format:
Markdown backslash-escapes its punctuation so a title never turns into a link, a table
column or raw HTML; HTML escapes ``& < > " '``. The HTML has inline CSS and SVG only: no
script, no link, no font or image to fetch, and an ``@page`` rule for A4.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from itpm_tui.domain.dates import short_date
from itpm_tui.domain.health import _json
from itpm_tui.domain.numbers import money_text
from itpm_tui.domain.rag import Rag
from itpm_tui.domain.status_report import (
    REPORT_LOAD_WEEKS,
    ForecastMove,
    MilestoneLine,
    ProjectReport,
    RaidLine,
    RaidSection,
    StatusReport,
    TaskItem,
)
from itpm_tui.domain.wording import plural

NO_DATA = "no data"
_DASH = "—"


def _day(value: date | None) -> str:
    return _DASH if value is None else f"{value:%a} {value.day} {value:%b %Y}"


def _iso(value: date | None) -> str:
    return _DASH if value is None else value.isoformat()


def _money(value: Decimal | None) -> str:
    return _DASH if value is None else f"{value:,.2f}"


def _ratio(value: Decimal | None) -> str:
    return _DASH if value is None else f"{value:.2f}"


def _title(report: StatusReport) -> str:
    return f"Weekly status report, week ending {_day(report.week_end)}"


def _scope_line(report: StatusReport) -> str:
    span = f"{_day(report.week_start)} to {_day(report.week_end)}"
    if not report.projects:
        return f"{span}: {NO_DATA} (no projects)."
    counts = [(rag, sum(1 for p in report.projects if p.overall.rag is rag)) for rag in Rag]
    told = ", ".join(f"{n} {rag.value}" for rag, n in counts if n)
    n = len(report.projects)
    return f"{span}. {plural(n, 'project')}: {told}."


def _was(p: ProjectReport) -> str:
    if p.overall_before is None:
        return "new this week" if p.overall.rag is not Rag.NO_DATA else NO_DATA
    if p.overall_before is p.overall.rag:
        return "unchanged"
    return f"was {p.overall_before.label}"


def _why(p: ProjectReport) -> str:
    return p.why or NO_DATA


def _who(item: TaskItem) -> str:
    return item.assignee or "unassigned"


def _next_when(item: TaskItem, week_end: date) -> str:
    parts = []
    if item.planned_start and item.planned_start > week_end:
        parts.append(f"starts {short_date(item.planned_start, week_end)}")
    if item.due:
        parts.append(f"due {short_date(item.due, week_end)}")
    elif item.planned_finish:
        parts.append(f"finish {short_date(item.planned_finish, week_end)}")
    return ", ".join(parts) or _DASH


def _milestones_line(p: ProjectReport, week_end: date) -> str:
    """The one line of a green milestone section."""
    open_ = [m for m in p.milestones if m.actual is None]
    nxt = min(open_, key=lambda m: m.forecast, default=None)
    head = f"✓ {plural(len(open_), 'open milestone')} green"
    return head + (f"; next: {nxt.name} on {short_date(nxt.forecast, week_end)}" if nxt
                   else "; all reached")  # fmt: skip


def _evm_line(p: ProjectReport) -> str:
    ev = p.evm
    assert ev is not None
    return (f"✓ budget and schedule green: CPI {_ratio(ev.cpi)}, SPI {_ratio(ev.spi)}, "
            f"EAC {_money(ev.eac)} of BAC {_money(ev.bac)} {p.currency}")  # fmt: skip


def _evm_cells(p: ProjectReport) -> list[tuple[str, str]]:
    ev = p.evm
    assert ev is not None
    return [("PV", _money(ev.pv)), ("EV", _money(ev.ev)), ("AC", _money(ev.ac)),
            ("CPI", _ratio(ev.cpi)), ("SPI", _ratio(ev.spi)), ("EAC", _money(ev.eac)),
            ("VAC", _money(ev.vac))]  # fmt: skip


def _moved(f: ForecastMove, week_end: date) -> str:
    return f"{short_date(f.before, week_end)} → {short_date(f.after, week_end)}"


def _slips(m: MilestoneLine) -> str:
    return " → ".join(f"{s:+d}" for s in m.trend_slips) if m.trend_slips else _DASH


# --- Markdown ------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|#~&!])")


# --- the RAID and people sections, as sentences both formats escape ----------------------


def _raid_item(line: RaidLine, currency: str, week_end: date) -> str:
    """``R3 Carrier late (bob): score 20 high, exposure €28,000, mitigate: second carrier``."""
    facts = []
    if line.score is not None:
        facts.append(f"score {line.score} {line.band}")
    if line.exposure is not None:
        facts.append(f"exposure {money_text(line.exposure, currency)}")
    if line.response:
        facts.append(f"{line.response}: {line.mitigation}" if line.mitigation else line.response)
    if not facts:
        facts.append(line.status.value)
    if line.review_on is not None:
        facts.append(f"review {short_date(line.review_on, week_end)}")
    return f"{line.ref} {line.title} ({line.owner or 'no owner'}): {', '.join(facts)}"


def _raid_lines(raid: RaidSection, currency: str, week_end: date) -> list[str]:
    """The section's sentences: the exposure, then risks, issues and decisions."""
    exposure = (
        f"{plural(raid.open_risks, 'open risk')}, exposure {money_text(raid.exposure, currency)}"
    )
    if raid.contingency is not None:
        exposure += f" against a contingency of {money_text(raid.contingency, currency)}"
    lines = [exposure]
    shown = len(raid.risks)
    lines += [f"risk {_raid_item(r, currency, week_end)}" for r in raid.risks]
    if raid.open_risks > shown:
        lines.append(f"{plural(raid.open_risks - shown, 'more open risk')} in the RAID log")
    lines += [f"issue {_raid_item(i, currency, week_end)}" for i in raid.issues]
    lines += [f"decided this week: {_raid_item(d, currency, week_end)}" for d in raid.decided]
    lines += [f"decision needed: {_raid_item(d, currency, week_end)}" for d in raid.pending]
    return lines


NOBODY_OVER = f"nobody on the project is over capacity in the next {REPORT_LOAD_WEEKS} weeks"
NO_RAID_NEWS = "no open risks or issues and no decisions this week"


def md(text: str) -> str:
    """Stored text made inert in Markdown: punctuation escaped, line breaks as spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _md_task(item: TaskItem, extra: str = "") -> str:
    note = f": {md(item.note)}" if item.note else ""
    return f"- #{item.task_id} {md(item.title)} ({md(_who(item))}{extra}){note}"


def _md_project(p: ProjectReport, week_end: date) -> list[str]:
    lines = [f"## {md(p.key)}: {md(p.name)}: {p.overall.rag.label} ({_was(p)})", ""]
    if not p.recorded:
        return [*lines, *[f"- {md(r)}" for r in p.overall.reasons], ""]
    if p.overall.rag is Rag.GREEN:
        lines += [f"✓ {md(_why(p))}", ""]
    else:
        lines += [f"- {md(r)}" for r in p.overall.reasons] or [f"- {NO_DATA}"]
        if p.why and p.why not in p.overall.reasons:
            lines.append(f"- deciding: {md(p.why)}")
        lines.append("")
    c = p.changes
    lines += ["### Changes since last week", ""]
    if c.quiet:
        lines += ["✓ nothing changed this week", ""]
    else:
        for move in c.rag_moves:
            lines.append(f"- {md(move.subject)}: {move.before.label} → {move.after.label}")
        for f in c.forecast_moves:
            lines.append(f"- forecast of {md(f.name)} moved {_moved(f, week_end)} "
                         f"(slip {f.slip_before:+d} → {f.slip_after:+d} wd)")  # fmt: skip
        if c.done:
            lines.append(f"- {plural(len(c.done), 'task')} done: "
                         + ", ".join(f"#{t.task_id} {md(t.title)}" for t in c.done))  # fmt: skip
        for t in c.new_blockers:
            lines.append(f"- new blocker: #{t.task_id} {md(t.title)}: {md(t.note)}")
        lines += [f"- {md(applied)}" for applied in c.applied]
        burn = NO_DATA if c.burn is None else f"{_money(c.burn)} {p.currency}"
        lines += [f"- spent this week: {burn}", ""]
    lines += ["### Milestones", ""]
    if not p.milestones:
        lines += [f"Milestones: {NO_DATA} (none set)", ""]
    elif p.milestones_green:
        lines += [md(_milestones_line(p, week_end)), ""]
    else:
        rows = [[md(m.name), _iso(m.baseline), _iso(m.actual or m.forecast), f"{m.slip:+d}",
                 m.status, f"{m.trend.value} ({_slips(m)})", m.rag.label]
                for m in p.milestones]  # fmt: skip
        head = ["Milestone", "Baseline", "Forecast", "Slip (wd)", "Status", "Trend", "RAG"]
        lines += [*_md_table(head, rows), ""]
    lines += [f"### Earned value ({p.currency})", ""]
    if p.evm is None:
        lines += [f"Budget: {NO_DATA} (no budget or planned costs)", ""]
    elif p.evm_green:
        lines += [_evm_line(p), ""]
    else:
        cells = _evm_cells(p)
        lines += [*_md_table([k for k, _ in cells], [[v for _, v in cells]]), ""]
        for flag in (p.budget, p.schedule):
            if flag.rag is not Rag.GREEN:
                lines += [f"- {flag.subject} {flag.rag.label}: {md(r)}" for r in flag.reasons]
        lines.append("")
    lines += ["### Blockers needing help", ""]
    if not p.blocked and not p.standup_blockers:
        lines += ["✓ no blockers", ""]
    else:
        lines += [_md_task(t) for t in p.blocked]
        lines += [f"- stand-up {short_date(s.held_on, week_end)}, {md(s.person)}: "
                  f"{md(s.text)}" for s in p.standup_blockers]  # fmt: skip
        lines.append("")
    if p.raid is not None:
        lines += ["### Risks, issues and decisions", ""]
        if p.raid.quiet:
            lines += [f"✓ {NO_RAID_NEWS}", ""]
        else:
            lines += [f"- {md(line)}" for line in _raid_lines(p.raid, p.currency, week_end)]
            lines.append("")
    lines += ["### People", ""]
    if not p.over_capacity:
        lines += [f"✓ {NOBODY_OVER}", ""]
    else:
        lines += [f"- {md(o.sentence)}" for o in p.over_capacity]
        lines.append("")
    lines += ["### Next week", ""]
    if not p.next_week:
        lines += ["Nothing due or planned in the next 7 days.", ""]
    else:
        lines += [_md_task(t, f", {_next_when(t, week_end)}") for t in p.next_week]
        lines.append("")
    if p.notes:
        lines += ["Notes:", "", *[f"- {md(n)}" for n in p.notes], ""]
    return lines


def to_markdown(report: StatusReport) -> str:
    """The report as Markdown that pastes cleanly into chat and email (no raw HTML)."""
    lines = [f"# {_title(report)}", "", _scope_line(report), ""]
    if len(report.projects) > 1:
        rows = [[md(p.key), p.overall.rag.label, _was(p), md(_why(p))] for p in report.projects]
        lines += [*_md_table(["Project", "RAG", "Since last week", "Why"], rows), ""]
    for p in report.projects:
        lines += _md_project(p, report.week_end)
    return "\n".join(lines).rstrip("\n") + "\n"


# --- HTML ----------------------------------------------------------------------------------


def h(text: str) -> str:
    """Stored text escaped for HTML text and attribute values."""
    return html.escape(text, quote=True)


_CSS = """
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt;
  color: #1a1a1a; max-width: 190mm; margin: 0 auto; padding: 8mm 0; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; padding: 1.5mm 2mm; border-left: 4px solid #888;
  background: #f3f3f3; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; text-transform: uppercase; letter-spacing: .03em;
  color: #444; }
section { break-inside: avoid-page; page-break-inside: avoid; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.date, td.nowrap { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
ul { margin: 1mm 0 2mm; padding-left: 6mm; }
p { margin: 1mm 0; }
.ok { color: #1b5e20; }
.rag { font-weight: bold; white-space: nowrap; }
.rag-red { color: #b71c1c; } .rag-amber { color: #8a5a00; } .rag-green { color: #1b5e20; }
.rag-no-data { color: #555; }
h2.rag-red { border-left-color: #b71c1c; } h2.rag-amber { border-left-color: #e0a000; }
h2.rag-green { border-left-color: #2e7d32; }
svg.spark { vertical-align: middle; }
.muted { color: #555; }
@media print { body { padding: 0; max-width: none; } h2 { background: none; } }
""".strip()


def _rag_span(rag: Rag) -> str:
    cls = rag.value.replace(" ", "-")
    return f'<span class="rag rag-{cls}">{h(rag.label)}</span>'


def sparkline(slips: Sequence[int], width: int = 90, height: int = 18) -> str:
    """The slip of each recorded forecast as an inline SVG line (higher is later)."""
    if not slips:
        return '<span class="muted">—</span>'
    label = h("slip " + " → ".join(f"{s:+d}" for s in slips) + " wd")
    lo, hi = min(0, *slips), max(0, *slips)
    span = (hi - lo) or 1
    step = (width - 4) / max(1, len(slips) - 1)
    pad = 2

    def y(s: int) -> float:
        return round(height - pad - (s - lo) / span * (height - 2 * pad), 1)

    points = " ".join(f"{round(pad + i * step, 1)},{y(s)}" for i, s in enumerate(slips))
    zero = y(0)
    last_x = round(pad + (len(slips) - 1) * step, 1)
    return (
        f'<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        f"<title>{label}</title>"
        f'<line x1="0" y1="{zero}" x2="{width}" y2="{zero}" stroke="#999" '
        f'stroke-width="0.5" stroke-dasharray="2,2"/>'
        f'<polyline fill="none" stroke="#333" stroke-width="1.5" points="{points}"/>'
        f'<circle cx="{last_x}" cy="{y(slips[-1])}" r="2" fill="#333"/></svg>'
    )


def _html_table(
    head: Sequence[str], rows: Sequence[Sequence[str]], classes: Mapping[int, str]
) -> str:
    """A table of cells already escaped; ``classes`` gives some columns a CSS class."""
    th = "".join(f"<th>{c}</th>" for c in head)
    body = "".join(
        "<tr>" + "".join(f'<td class="{classes[i]}">{c}</td>' if i in classes else f"<td>{c}</td>"
                         for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _html_task(item: TaskItem, extra: str = "") -> str:
    note = f": {h(item.note)}" if item.note else ""
    return f"<li>#{item.task_id} {h(item.title)} ({h(_who(item))}{h(extra)}){note}</li>"


def _ul(items: Sequence[str]) -> str:
    return "<ul>" + "".join(items) + "</ul>"


def _ok(text: str) -> str:
    return f'<p class="ok">{h(text)}</p>'


def _html_project(p: ProjectReport, week_end: date) -> str:
    cls = p.overall.rag.value.replace(" ", "-")
    out = [f'<section id="{h(p.key)}"><h2 class="rag-{cls}">{h(p.key)}: {h(p.name)} '
           f'{_rag_span(p.overall.rag)} <span class="muted">({h(_was(p))})</span></h2>']  # fmt: skip
    if not p.recorded:
        out += [_ul([f"<li>{h(r)}</li>" for r in p.overall.reasons]), "</section>"]
        return "\n".join(out)
    if p.overall.rag is Rag.GREEN:
        out.append(_ok(f"✓ {_why(p)}"))
    else:
        reasons = [f"<li>{h(r)}</li>" for r in p.overall.reasons] or [f"<li>{NO_DATA}</li>"]
        if p.why and p.why not in p.overall.reasons:
            reasons.append(f"<li>deciding: {h(p.why)}</li>")
        out.append(_ul(reasons))
    c = p.changes
    out.append("<h3>Changes since last week</h3>")
    if c.quiet:
        out.append(_ok("✓ nothing changed this week"))
    else:
        items = [f"<li>{h(m.subject)}: {_rag_span(m.before)} → {_rag_span(m.after)}</li>"
                 for m in c.rag_moves]  # fmt: skip
        items += [f"<li>forecast of {h(f.name)} moved {_moved(f, week_end)} "
                  f"(slip {f.slip_before:+d} → {f.slip_after:+d} wd)</li>"
                  for f in c.forecast_moves]  # fmt: skip
        if c.done:
            done = ", ".join(f"#{t.task_id} {h(t.title)}" for t in c.done)
            items.append(f"<li>{plural(len(c.done), 'task')} done: "
                         f"{done}</li>")  # fmt: skip
        items += [f"<li>new blocker: #{t.task_id} {h(t.title)}: {h(t.note)}</li>"
                  for t in c.new_blockers]  # fmt: skip
        items += [f"<li>{h(applied)}</li>" for applied in c.applied]
        burn = NO_DATA if c.burn is None else f"{_money(c.burn)} {h(p.currency)}"
        items.append(f"<li>spent this week: {burn}</li>")
        out.append(_ul(items))
    out.append("<h3>Milestones</h3>")
    if not p.milestones:
        out.append(f"<p>Milestones: {NO_DATA} (none set)</p>")
    elif p.milestones_green:
        out.append(_ok(_milestones_line(p, week_end)))
    else:
        rows = [[h(m.name), _iso(m.baseline), _iso(m.actual or m.forecast), f"{m.slip:+d}",
                 h(m.status), f"{sparkline(m.trend_slips)} {h(m.trend.value)}",
                 _rag_span(m.rag)] for m in p.milestones]  # fmt: skip
        head = ["Milestone", "Baseline", "Forecast", "Slip (wd)", "Status", "Trend", "RAG"]
        out.append(_html_table(head, rows, {1: "date", 2: "date", 3: "num", 5: "nowrap",
                                            6: "nowrap"}))  # fmt: skip
    out.append(f"<h3>Earned value ({h(p.currency)})</h3>")
    if p.evm is None:
        out.append(f"<p>Budget: {NO_DATA} (no budget or planned costs)</p>")
    elif p.evm_green:
        out.append(_ok(_evm_line(p)))
    else:
        cells = _evm_cells(p)
        out.append(_html_table([k for k, _ in cells], [[v for _, v in cells]],
                               dict.fromkeys(range(len(cells)), "num")))  # fmt: skip
        reasons = [f"<li>{h(f.subject)} {_rag_span(f.rag)}: {h(r)}</li>"
                   for f in (p.budget, p.schedule) if f.rag is not Rag.GREEN for r in f.reasons]  # fmt: skip
        if reasons:
            out.append(_ul(reasons))
    out.append("<h3>Blockers needing help</h3>")
    if not p.blocked and not p.standup_blockers:
        out.append(_ok("✓ no blockers"))
    else:
        items = [_html_task(t) for t in p.blocked]
        items += [f"<li>stand-up {short_date(s.held_on, week_end)}, {h(s.person)}: "
                  f"{h(s.text)}</li>" for s in p.standup_blockers]  # fmt: skip
        out.append(_ul(items))
    if p.raid is not None:
        out.append("<h3>Risks, issues and decisions</h3>")
        if p.raid.quiet:
            out.append(_ok(f"✓ {NO_RAID_NEWS}"))
        else:
            out.append(_ul([f"<li>{h(line)}</li>"
                            for line in _raid_lines(p.raid, p.currency, week_end)]))  # fmt: skip
    out.append("<h3>People</h3>")
    if not p.over_capacity:
        out.append(_ok(f"✓ {NOBODY_OVER}"))
    else:
        out.append(_ul([f"<li>{h(o.sentence)}</li>" for o in p.over_capacity]))
    out.append("<h3>Next week</h3>")
    if not p.next_week:
        out.append("<p>Nothing due or planned in the next 7 days.</p>")
    else:
        out.append(_ul([_html_task(t, f", {_next_when(t, week_end)}") for t in p.next_week]))
    if p.notes:
        out.append('<p class="muted">Notes:</p>' + _ul([f"<li>{h(n)}</li>" for n in p.notes]))
    out.append("</section>")
    return "\n".join(out)


def to_html(report: StatusReport) -> str:
    """The report as one self-contained HTML file: inline CSS and SVG, nothing fetched."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(_title(report))}</title>",
        f"<style>\n{_CSS}\n</style></head><body>",
        f"<h1>{h(_title(report))}</h1>",
        f'<p class="muted">{h(_scope_line(report))}</p>',
    ]
    if len(report.projects) > 1:
        rows = [[f'<a href="#{h(p.key)}">{h(p.key)}</a>', _rag_span(p.overall.rag), h(_was(p)),
                 h(_why(p))] for p in report.projects]  # fmt: skip
        parts.append(_html_table(["Project", "RAG", "Since last week", "Why"], rows,
                                 {1: "nowrap"}))  # fmt: skip
    parts += [_html_project(p, report.week_end) for p in report.projects]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# --- JSON ----------------------------------------------------------------------------------


def to_json_dict(report: StatusReport) -> dict[str, Any]:
    """Every fact of the report as JSON values: Decimals as exact strings, ISO dates."""
    data: dict[str, Any] = _json(report)
    for section, project in zip(data["projects"], report.projects, strict=True):
        section["overall"]["label"] = project.overall.rag.label
    return data
