"""The programme's offices (support points) and regions, as data in offices.json (stdlib only)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

FILE = Path(__file__).with_name("offices.json")


@lru_cache(maxsize=1)
def _data() -> dict:
    data = json.loads(FILE.read_text(encoding="utf-8"))
    unknown = {o["region"] for o in data["offices"].values()} - set(data["regions"])
    if unknown:
        raise ValueError(f"offices.json: offices in unknown regions {sorted(unknown)}")
    return data


def offices() -> dict[str, dict]:
    """office id -> {"name", "region"}."""
    return _data()["offices"]


def regions() -> dict[str, str]:
    """region id -> name."""
    return _data()["regions"]


def region_of(office: str | None) -> str | None:
    return offices()[office]["region"] if office in offices() else None


def offices_in(region: str) -> set[str]:
    return {office for office, about in offices().items() if about["region"] == region}


def listing() -> dict:
    """Regions with their offices, for `GET /v1/offices`."""
    return {"regions": [{"id": region, "name": name,
                         "offices": [{"id": office, "name": offices()[office]["name"]}
                                     for office in sorted(offices_in(region))]}
                        for region, name in regions().items()]}
