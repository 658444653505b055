"""Versioned scoring: the sustainability index and an RSS-style view, from the five domain scores.

The sustainability index is the mean over scored domains of (score - 1) / 4, in [0, 1]. The RSS
view groups domains into IOM's reintegration sustainability dimensions (economic, social,
psychosocial) and a composite; which domain feeds which dimension is configuration. A scheme never
changes once used: a new one gets a new version, and history is recomputed on command with the old
values kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScoringScheme:
    version: str
    dimensions: dict = field(default_factory=dict)  # dimension -> {domain: weight}

    def index(self, scores: dict) -> float | None:
        values = [(s - 1) / 4 for s in scores.values() if s is not None]
        return round(sum(values) / len(values), 4) if values else None

    def rss(self, scores: dict) -> dict:
        out = {}
        for dimension, weights in self.dimensions.items():
            used = {d: w for d, w in weights.items() if scores.get(d) is not None}
            total = sum(used.values())
            out[dimension] = (round(sum((scores[d] - 1) / 4 * w for d, w in used.items()) / total, 4)
                              if total else None)
        present = [v for v in out.values() if v is not None]
        out["composite"] = round(sum(present) / len(present), 4) if present else None
        return out

    def score(self, scores: dict) -> dict:
        return {"index": self.index(scores), "rss": self.rss(scores), "scheme_version": self.version}


SCHEMES = {
    "2026.1": ScoringScheme("2026.1", {
        "economic": {"economic": 1.0},
        "social": {"housing": 1.0, "social": 1.0, "health": 1.0},
        "psychosocial": {"resilience": 1.0, "health": 0.5},
    }),
}
CURRENT = "2026.1"
