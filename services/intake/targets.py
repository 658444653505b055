"""The programme's targets per period, as data in targets.json (stdlib only): `default` for every year without
its own entry (the figures of 000_... §5), `periods` by year (`"2027"`) or quarter (`"2027-Q1"`). A file of the
same shape at REPORT_TARGETS_FILE (intake's config) replaces it."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

FILE = Path(__file__).with_name("targets.json")
NAMES = ("future_orientation", "considered_choice", "return_project", "departed")


@lru_cache(maxsize=4)
def load(path: str = "") -> dict:
    data = json.loads(Path(path or FILE).read_text(encoding="utf-8"))
    for period, targets in {"default": data["default"], **data.get("periods", {})}.items():
        unknown = set(targets) - set(NAMES)
        if unknown:
            raise ValueError(f"targets: unknown targets {sorted(unknown)} in {period}")
        for name, target in targets.items():
            if not (0 < target.get("share", 1) <= 1) or target.get("minimum", 0) > target.get("maximum", 10**9):
                raise ValueError(f"targets: {name} in {period} is not a share in (0, 1] or a range")
    return data


def for_period(year: int, quarter: int | None = None, path: str = "") -> tuple[str, dict]:
    """(the period the targets are set for, {name: target}): the quarter's when given, else the year's, else
    the default (for the year)."""
    periods = load(path).get("periods", {})
    if quarter and f"{year}-Q{quarter}" in periods:
        return f"{year}-Q{quarter}", {**load(path)["default"], **periods[f"{year}-Q{quarter}"]}
    return str(year), {**load(path)["default"], **periods.get(str(year), {})}
