"""What intake's `GET /v1/reports/targets` answers, for the pages' tests (docs/reports.md)."""
TARGETS = {"period": "2026", "from": "2026-01-01", "to": "2026-03-31", "rows": [
    {"target": "future_orientation", "kind": "count", "result": 41, "minimum": 150, "maximum": 200, "met": False,
     "label": {"nl": "Ongedocumenteerden die het traject Toekomstoriëntatie doorlopen hebben", "en": "Future orientation",
               "fr": "Orientation"}},
    {"target": "considered_choice", "kind": "share", "result": 0.833, "numerator": 5, "denominator": 6, "share": 0.8,
     "met": True, "label": {"nl": "Weloverwogen keuze", "en": "Considered choice", "fr": "Choix"}}]}
