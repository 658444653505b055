"""Small-cell suppression, one rule for every aggregate a service shows (monitoring's outcome tables and
country insights, intake's report breakdowns).

A group of fewer than `k` people shows no figures. Where groups partition a shown total, complementary
suppression hides more groups until the hidden ones together hold at least `k`, so no hidden figure can
be recovered by subtracting the shown ones from the total. Groups that overlap (one person in several
vulnerability categories) partition nothing: only the small ones are hidden. Every hidden cell says why
(`suppressed_reason`): `small_group` (fewer than `k` itself), `protects_other` (large enough, hidden so that
a smaller group cannot be worked out) or `only_region` (a country's only region, whose figures would be the
country's and say where everyone went).
"""
from __future__ import annotations

SMALL_GROUP, PROTECTS_OTHER, ONLY_REGION = "small_group", "protects_other", "only_region"


def hidden_cell(n: int, k: int, partitioned: bool = True) -> dict:
    """A cell or group shown without figures, and why: too small itself, or hidden to protect another."""
    reason = SMALL_GROUP if n < k else PROTECTS_OTHER if partitioned else ONLY_REGION
    return {"suppressed": True, "suppressed_reason": reason}


def suppress_partition(counts: dict, k: int) -> set:
    """Groups to hide: those under `k`, plus the smallest others until the hidden ones sum to >= k."""
    hidden = {group for group, n in counts.items() if n < k}
    while hidden and sum(counts[g] for g in hidden) < k:
        shown = sorted((n, str(g), g) for g, n in counts.items() if g not in hidden)
        if not shown:
            break
        hidden.add(shown[0][2])
    return hidden


def suppressed_groups(counts: dict, k: int, overlapping: bool = False) -> set:
    """The groups to hide of a breakdown: complementary where the groups partition the total."""
    return {g for g, n in counts.items() if n < k} if overlapping else suppress_partition(counts, k)
