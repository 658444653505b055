"""The support report: planned support (intake's plan lines) against support delivered (check-ins), in euros
at the administrator's rate table, per client, partner, country, funding source or period (stdlib only).

Amounts stay as entered (`amount` in `currency`); each is converted at the rate valid on its day (a
delivery's `delivered_on`, else its check-in's contact date; a planned line at the report's last day):
euros = amount / units_per_eur, rounded to the cent per amount, so the totals are sums of cents. An amount
in a currency without a rate on that day is never counted as 0 or 1: it is listed as not converted, per
currency, beside the euro figures. A delivery's funding source is that of the first planned line of the
same support type (unknown without one).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

EURO = "EUR"
CENT = Decimal("0.01")
UNKNOWN = None  # a funding source nobody recorded


class Rates:
    """The rate table: currency -> [(valid_from, units per euro)] sorted by day."""

    def __init__(self, rates: list[dict]):
        table: dict[str, list] = defaultdict(list)
        for rate in rates:
            table[rate["currency"]].append((_day(rate["valid_from"]), Decimal(str(rate["units_per_eur"]))))
        self.table = {currency: sorted(rows) for currency, rows in table.items()}

    def on(self, currency: str, day: date) -> tuple[date, Decimal] | None:
        """The rate valid on `day` (the latest from that day or before), or None."""
        rows = self.table.get(currency) or []
        at = bisect_right([valid_from for valid_from, _ in rows], day)
        return rows[at - 1] if at else None


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def convert(amount, currency: str, day: date, rates: Rates) -> dict:
    """{amount, currency, eur (None: not converted), rate: {units_per_eur, valid_from} | None}."""
    value = Decimal(str(amount or 0))
    if currency == EURO:
        return {"amount": float(value), "currency": EURO, "eur": value.quantize(CENT, ROUND_HALF_UP), "rate": None}
    found = rates.on(currency, day)
    if found is None:
        return {"amount": float(value), "currency": currency, "eur": None, "rate": None}
    valid_from, units = found
    return {"amount": float(value), "currency": currency, "eur": (value / units).quantize(CENT, ROUND_HALF_UP),
            "rate": {"units_per_eur": float(units), "valid_from": valid_from.isoformat()}}


def _delivered(case: dict, start: date | None, end: date, rates: Rates) -> list[dict]:
    sources = {}
    for line in case.get("planned_support") or []:
        sources.setdefault(line["type"], line.get("funding_source"))
    out = []
    for checkin in case.get("checkins") or []:
        if checkin.get("superseded_by"):
            continue
        for index, item in enumerate(checkin.get("support_delivered") or []):
            day = _day(item.get("delivered_on") or checkin["contact_date"])
            if day > end or (start and day < start):
                continue
            if item.get("currency"):
                converted = convert(item.get("amount"), item["currency"], day, rates)
            else:  # reported before currencies: its euro value only
                converted = convert(item.get("amount_eur"), EURO, day, rates)
            out.append({"returnee_id": case["returnee_id"], "partner_id": case.get("partner_id"),
                        "country": case.get("country"), "funding_source": sources.get(item["type"], UNKNOWN),
                        "type": item["type"], "delivered_on": day.isoformat(), "period": day.isoformat()[:7],
                        "checkin_id": checkin["id"], "index": index, **converted})
    return out


def _planned(case: dict, end: date, rates: Rates) -> list[dict]:
    requested = (case.get("handover") or {}).get("requested_on") or case.get("arrived_on") or end.isoformat()
    return [{"returnee_id": case["returnee_id"], "partner_id": case.get("partner_id"), "country": case.get("country"),
             "funding_source": line.get("funding_source"), "type": line["type"], "period": str(requested)[:7],
             **convert(line.get("amount"), line.get("currency") or EURO, end, rates)}
            for line in case.get("planned_support") or [] if line.get("amount") is not None]


def _key(row: dict, by: str):
    return row["returnee_id"] if by == "client" else row[{"partner": "partner_id"}.get(by, by)]


def _sums(planned: list[dict], delivered: list[dict]) -> dict:
    out = {"planned_eur": Decimal(0), "delivered_eur": Decimal(0),
           "planned_not_converted": defaultdict(Decimal), "delivered_not_converted": defaultdict(Decimal)}
    for kind, rows in (("planned", planned), ("delivered", delivered)):
        for row in rows:
            if row["eur"] is None:
                out[f"{kind}_not_converted"][row["currency"]] += Decimal(str(row["amount"]))
            else:
                out[f"{kind}_eur"] += row["eur"]
    return {"planned_eur": float(out["planned_eur"]), "delivered_eur": float(out["delivered_eur"]),
            "open_eur": float(out["planned_eur"] - out["delivered_eur"]),
            "planned_not_converted": {c: float(v) for c, v in sorted(out["planned_not_converted"].items())},
            "delivered_not_converted": {c: float(v) for c, v in sorted(out["delivered_not_converted"].items())},
            "complete": not out["planned_not_converted"] and not out["delivered_not_converted"]}


def _plain(row: dict) -> dict:
    return {**row, "eur": None if row["eur"] is None else float(row["eur"]), "converted": row["eur"] is not None}


def support_report(cases: list[dict], rates: list[dict], by: str, start: date | None, end: date) -> dict:
    """Planned against delivered per `by` (client, partner, country, funding_source, period), the totals,
    every delivery with the rate used, and each client's final statement (planned and delivered per type)."""
    table = Rates(rates)
    planned = [row for case in cases for row in _planned(case, end, table)]
    delivered = [row for case in cases for row in _delivered(case, start, end, table)]
    groups = sorted({_key(r, by) for r in planned + delivered}, key=lambda k: (k is None, k or ""))
    rows = [{by: key, **_sums([r for r in planned if _key(r, by) == key], [r for r in delivered if _key(r, by) == key])}
            for key in groups]
    statements = []
    for client in sorted({r["returnee_id"] for r in planned + delivered}):
        mine_p = [r for r in planned if r["returnee_id"] == client]
        mine_d = [r for r in delivered if r["returnee_id"] == client]
        case = next(c for c in cases if c["returnee_id"] == client)
        types = sorted({r["type"] for r in mine_p + mine_d})
        statements.append({"returnee_id": client, "partner_id": case.get("partner_id"), "country": case.get("country"),
                           "final": case.get("state") == "completed", **_sums(mine_p, mine_d),
                           "lines": [{"type": t, **_sums([r for r in mine_p if r["type"] == t],
                                                        [r for r in mine_d if r["type"] == t])} for t in types]})
    return {"by": by, "period": {"from": start.isoformat() if start else None, "to": end.isoformat()},
            "rows": rows, "totals": _sums(planned, delivered),
            "deliveries": [_plain(r) for r in delivered], "planned": [_plain(r) for r in planned],
            "statements": statements}
