"""Risk arithmetic for the RAID log: score, band, exposure (expected monetary value), contingency.

Pure functions over models; money and scores are ``Decimal``.

- **Score** = probability x impact (PMBOK 5th ed., 11.3.2.2, "probability and impact
  matrix"). On the 1-5 scale it is a whole number 1-25; on PMBOK's matrix (probability
  0.1-0.9, impact 0.05-0.8, fig. 11-10) it is rounded to two decimals **half up**, as the
  figure prints it (0.7 x 0.05 = 0.035 -> 0.04; Python's ``round`` would give 0.03).
- **Band**: the first band whose upper edge the score does not exceed (``RiskSettings``:
  by default <= 4 low, <= 9 medium, <= 15 high, <= 20 very high, above critical).
- **Exposure** (EMV, PMBOK 11.4.2.2) = probability (as a fraction) x cost impact; the
  **contingency** a register needs is the sum over its open risks. On the 1-5 scale a rating
  stands for the PMBOK probability of the same rank (1 = 10%, 2 = 30%, 3 = 50%, 4 = 70%,
  5 = 90%), so exposure is in money on either scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from itpm_tui.domain.numbers import money_text
from itpm_tui.domain.wording import plural
from itpm_tui.errors import InvalidInput
from itpm_tui.models import AuditEvent, RaidItem, RaidKind, RiskScaleKind, RiskSettings

FIVE_LEVELS = tuple(Decimal(n) for n in range(1, 6))
"""The ratings of the 1-5 scale, for probability and impact alike."""
PMBOK_PROBABILITIES = tuple(Decimal(p) for p in ("0.1", "0.3", "0.5", "0.7", "0.9"))
"""PMBOK 5th ed. fig. 11-10's probability rows."""
PMBOK_IMPACTS = tuple(Decimal(i) for i in ("0.05", "0.1", "0.2", "0.4", "0.8"))
"""PMBOK 5th ed. fig. 11-10's impact columns (very low to very high, doubling)."""
_CENT = Decimal("0.01")


class Band(StrEnum):
    """How serious a risk's score is."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very high"
    CRITICAL = "critical"

    @property
    def symbol(self) -> str:
        """A mark, so a band is never shown by colour alone."""
        return _BAND_SYMBOLS[self]

    @property
    def is_high(self) -> bool:
        """High, very high or critical: the bands health reports."""
        return self in (Band.HIGH, Band.VERY_HIGH, Band.CRITICAL)


_BAND_SYMBOLS = {Band.LOW: "·", Band.MEDIUM: "▪", Band.HIGH: "▲", Band.VERY_HIGH: "▲▲",
                 Band.CRITICAL: "✖"}  # fmt: skip


def levels(kind: RiskScaleKind) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...]]:
    """The allowed probabilities and impacts of a scale."""
    if kind is RiskScaleKind.PMBOK:
        return PMBOK_PROBABILITIES, PMBOK_IMPACTS
    return FIVE_LEVELS, FIVE_LEVELS


def check_rating(
    settings: RiskSettings, probability: Decimal | None, impact: Decimal | None
) -> None:
    """``InvalidInput`` unless probability and impact are levels of the project's scale."""
    probabilities, impacts = levels(settings.kind)
    for what, value, allowed in (("probability", probability, probabilities),
                                 ("impact", impact, impacts)):  # fmt: skip
        if value is not None and value not in allowed:
            shown = ", ".join(str(a) for a in allowed)
            raise InvalidInput(
                f"{what} {value} is not on the project's {settings.kind.value} scale ({shown})"
            )


def score(kind: RiskScaleKind, probability: Decimal, impact: Decimal) -> Decimal:
    """Probability x impact; on PMBOK's matrix rounded to two decimals half up."""
    product = probability * impact
    if kind is RiskScaleKind.PMBOK:
        return product.quantize(_CENT, rounding=ROUND_HALF_UP)
    return product


def band(settings: RiskSettings, value: Decimal) -> Band:
    """The band a score falls in: the first whose upper edge it does not exceed."""
    for edge, name in zip(settings.edges(), (Band.LOW, Band.MEDIUM, Band.HIGH, Band.VERY_HIGH),
                          strict=True):  # fmt: skip
        if value <= edge:
            return name
    return Band.CRITICAL


def probability_fraction(kind: RiskScaleKind, probability: Decimal) -> Decimal:
    """The probability as a fraction 0-1: PMBOK's is one; a 1-5 rating is its PMBOK rank's."""
    if kind is RiskScaleKind.PMBOK:
        return probability
    rank = int(probability)
    if Decimal(rank) != probability or not 1 <= rank <= len(PMBOK_PROBABILITIES):
        raise InvalidInput(f"probability {probability} is not a rating 1-5")
    return PMBOK_PROBABILITIES[rank - 1]


def exposure(probability: Decimal, cost_impact: Decimal) -> Decimal:
    """Expected monetary value: probability (a fraction 0-1) x cost impact, exact."""
    if probability < 0 or probability > 1:
        raise InvalidInput(f"a probability is a fraction from 0 to 1 (got {probability})")
    if cost_impact < 0:
        raise InvalidInput(f"a cost impact cannot be negative (got {cost_impact})")
    return probability * cost_impact


def contingency(risks: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """The contingency a register needs: the sum of (probability, cost impact) exposures."""
    return sum((exposure(p, c) for p, c in risks), Decimal(0))


@dataclass(frozen=True)
class RiskRating:
    """One risk's score, band and exposure on its project's scale."""

    item: RaidItem
    score: Decimal
    band: Band
    exposure: Decimal | None
    """``None`` when the risk has no cost impact."""


@dataclass(frozen=True)
class RaidRow:
    """One item of a register with its rating on its project's scale, for display."""

    item: RaidItem
    rating: RiskRating | None
    currency: str


def rate(item: RaidItem, settings: RiskSettings) -> RiskRating | None:
    """A risk's rating; ``None`` for an item without probability and impact."""
    if item.probability is None or item.impact is None:
        return None
    value = score(settings.kind, item.probability, item.impact)
    money = (
        None
        if item.cost_impact is None
        else exposure(probability_fraction(settings.kind, item.probability), item.cost_impact)
    )
    return RiskRating(item, value, band(settings, value), money)


@dataclass(frozen=True)
class RiskSummary:
    """A project's open risks: how many are high or worse, and the contingency they need."""

    open_risks: int
    high: tuple[RiskRating, ...]
    """Open risks in the high, very high or critical band, worst first."""
    exposure: Decimal
    """The sum of the open risks' exposures (the contingency needed)."""
    contingency: Decimal | None
    """The reserve the project has left, if set."""

    def reasons(self, currency: str) -> tuple[str, ...]:
        """Sentences for the project's rating: high risks, then exposure against the reserve."""
        out: list[str] = []
        if self.high:
            counts: dict[Band, int] = {}
            for rating in self.high:
                counts[rating.band] = counts.get(rating.band, 0) + 1
            parts = ", ".join(f"{n} {b.value}" for b, n in counts.items())
            total = len(self.high)
            worst = self.high[0]
            out.append(
                f"{plural(total, 'high risk')} open ({parts}); worst "
                f"{worst.item.ref} {worst.item.title!r}, score {worst.score}"
            )
        if self.contingency is not None and self.exposure > self.contingency:
            out.append(
                f"exposure {money_text(self.exposure, currency)} exceeds the contingency of "
                f"{money_text(self.contingency, currency)}"
            )
        return tuple(out)


def summarise(items: Iterable[RaidItem], settings: RiskSettings) -> RiskSummary:
    """The open risks of one project rated on its scale."""
    ratings = [
        r
        for item in items
        if item.kind is RaidKind.RISK and item.is_open
        for r in (rate(item, settings),)
        if r is not None
    ]
    high = sorted((r for r in ratings if r.band.is_high), key=lambda r: (-r.score, r.item.id))
    total = sum((r.exposure for r in ratings if r.exposure is not None), Decimal(0))
    return RiskSummary(len(ratings), tuple(high), total, settings.contingency)


@dataclass(frozen=True)
class ScorePoint:
    """A risk's score from a moment on, replayed from the audit log."""

    at: datetime
    who: str
    probability: Decimal
    impact: Decimal
    score: Decimal


def score_history(events: Sequence[AuditEvent], kind: RiskScaleKind) -> tuple[ScorePoint, ...]:
    """The score after each change of probability or impact, oldest first.

    ``events`` are one item's audit rows, oldest first; rows written in one change (same
    instant and version) make one point.
    """
    points: list[ScorePoint] = []
    probability: Decimal | None = None
    impact: Decimal | None = None
    pending: tuple[datetime, str, int | None] | None = None

    def flush() -> None:
        if pending is not None and probability is not None and impact is not None:
            points.append(ScorePoint(pending[0], pending[1], probability, impact,
                                     score(kind, probability, impact)))  # fmt: skip

    for event in events:
        if event.field not in ("probability", "impact"):
            continue
        key = (event.at, event.who, event.version)
        if pending is not None and key != pending:
            flush()
        pending = key
        value = None if event.new is None else Decimal(event.new)
        if event.field == "probability":
            probability = value
        else:
            impact = value
    flush()
    return tuple(points)


# --- the heat map ----------------------------------------------------------------------------

HEAT_RANKS = (1, 2, 3, 4, 5)
"""Probability and impact ranks of the heat map: a 1-5 rating is its own rank, a PMBOK level
its place on fig. 11-10's scale, so projects on either scale share one map."""


def rank(value: Decimal, pmbok_levels: Sequence[Decimal]) -> int:
    """The 1-5 rank of a probability or impact (``pmbok_levels``: that axis of the matrix)."""
    if value in FIVE_LEVELS:
        return int(value)
    if value in pmbok_levels:
        return list(pmbok_levels).index(value) + 1
    raise InvalidInput(f"rating {value} is on no scale")


@dataclass(frozen=True)
class HeatCell:
    """One cell of the probability x impact heat map: how many risks, and how bad."""

    probability: int
    impact: int
    count: int
    band: Band
    """The worst band of the risks in it; an empty cell has the 1-5 default band of its
    ranks' product, so the map reads the same empty or full."""


def cell_of(row: RaidRow) -> tuple[int, int] | None:
    """The (probability, impact) ranks of a rated row; ``None`` for an unrated item."""
    item = row.item
    if row.rating is None or item.probability is None or item.impact is None:
        return None
    return rank(item.probability, PMBOK_PROBABILITIES), rank(item.impact, PMBOK_IMPACTS)


def heat_map(rows: Iterable[RaidRow]) -> tuple[HeatCell, ...]:
    """The 25 cells, probability 5 (top) down to 1, impact 1 to 5 in each row."""
    found: dict[tuple[int, int], list[Band]] = {}
    for row in rows:
        where = cell_of(row)
        if where is not None and row.rating is not None:
            found.setdefault(where, []).append(row.rating.band)
    order = list(Band)
    default = RiskSettings()
    cells = []
    for p in reversed(HEAT_RANKS):
        for i in HEAT_RANKS:
            bands = found.get((p, i), [])
            worst = max(bands, key=order.index) if bands else band(default, Decimal(p * i))
            cells.append(HeatCell(p, i, len(bands), worst))
    return tuple(cells)
