"""The one normalised-value type, shared by numbers and dates.

Numbers: ``value`` is a float with multipliers applied, ``unit`` the measure word without the
multiplier, ``lower``/``upper`` the bounds implied by the qualifier (五十余 → lower 50, upper
None), ``approximate`` true for 约/近/左右….

Dates: ``value`` is an ISO string — a single date (``2024-07-30``, ``2024-08``, ``2024``) or an
interval ``start/end`` (``2024-08/2024-10``) — ``lower``/``upper`` the ISO ends, ``granularity``
the finest unit written (``day``, ``month``, ``quarter``, ``half``, ``year``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Granularity = Literal["day", "xun", "month", "quarter", "half", "year"]


@dataclass(frozen=True, slots=True)
class NormalizedValue:
    """A number or date, normalised, with its bounds and how precise it is."""

    value: float | str | None
    unit: str | None = None
    lower: float | str | None = None
    upper: float | str | None = None
    approximate: bool = False
    qualifier: str | None = None
    granularity: Granularity | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def is_interval(self) -> bool:
        return self.lower is not None and self.upper is not None and self.lower != self.upper
