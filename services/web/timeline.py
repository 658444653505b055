"""A returnee's timeline: intake's status history, the handover answer, the case file's notes, check-ins and alerts
(pure)."""
from __future__ import annotations


def build_timeline(returnee: dict, case: dict | None, notes: list[dict] | None = None) -> list[dict]:
    """Everything that happened, oldest first: {"at", "kind", ...details}; `notes` (the newest the page shows,
    None for who may not read them) as `note` entries at the time they were written."""
    entries = [{"at": note.get("written_at"), "kind": "note", "note_id": note.get("id"), "note_kind": note.get("kind"),
                "mode": note.get("mode"), "contact_on": note.get("contact_on")} for note in notes or ()]
    decline = (returnee.get("handover") or {}).get("decline") or {}
    for step in returnee.get("history") or []:
        entry = {"at": step.get("at"), "kind": step.get("status")}
        if step.get("status") == "handover_declined" and decline:
            entry["reason"] = decline.get("reason")
            entry["detail"] = decline.get("detail")
        entries.append(entry)
    for checkin in (case or {}).get("checkins") or []:
        entries.append({"at": checkin.get("recorded_at"), "kind": "checkin", "slot": checkin.get("slot"),
                        "contact_made": checkin.get("contact_made"), "contact_date": checkin.get("contact_date"),
                        "scores": checkin.get("scores") or {}, "index": checkin.get("index"),
                        "safety_concern": checkin.get("safety_concern"), "superseded": bool(checkin.get("superseded_by")),
                        "recorded_by": checkin.get("recorded_by") or {},
                        **_partners_report(checkin)})
    for alert in (case or {}).get("alerts") or []:
        base = {"type": alert.get("type"), "alert_id": alert.get("id"), "code": alert.get("code"),
                "params": alert.get("params") or {}}  # the page writes the text from the code (never `detail`)
        entries.append({"at": alert.get("raised_at"), "kind": "alert_raised", **base})
        if alert.get("acknowledged_at"):
            entries.append({"at": alert["acknowledged_at"], "kind": "alert_acknowledged", **base,
                            "note": alert.get("acknowledged_note")})
        if alert.get("resolved_at"):
            entries.append({"at": alert["resolved_at"], "kind": "alert_resolved", **base,
                            "note": alert.get("resolution"), "resolution_code": alert.get("resolution_code")})
    return sorted(entries, key=lambda e: str(e.get("at") or ""))


def _partners_report(checkin: dict) -> dict:
    """What the partner reported besides the scores: how contact was made (or why not), where the returnee
    is (in the country, re-migrated, unreachable), its notes in its own words and the support delivered (its
    euro value, and the amount as paid in its currency)."""
    return {"contact_mode": checkin.get("contact_mode"), "no_contact_reason": checkin.get("reason") or "",
            "in_country": checkin.get("status") or "in_country", "notes": checkin.get("notes") or "",
            "support": [{"type": s.get("type"), "amount_eur": s.get("amount_eur"), "amount": s.get("amount"),
                         "currency": s.get("currency"), "delivered_on": s.get("delivered_on"),
                         "description": s.get("description") or ""} for s in checkin.get("support_delivered") or []]}


def open_alerts(case: dict | None) -> list[dict]:
    """The case's alerts not resolved yet, each with what the partner wrote in the check-in that raised it."""
    checkins = {c.get("id"): c for c in (case or {}).get("checkins") or []}
    found = []
    for alert in (case or {}).get("alerts") or []:
        if alert.get("resolved_at") or alert.get("status") == "resolved":
            continue
        checkin = checkins.get(alert.get("checkin_id")) or {}
        found.append({**alert, "status": alert.get("status") or ("acknowledged" if alert.get("acknowledged_at")
                                                                 else "open"),
                      "notes": checkin.get("notes") or "", "checkin_slot": checkin.get("slot")})
    return found
