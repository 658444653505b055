"""What intake's `GET /v1/returnees/{returnee_id}` answers for a registered returnee, for the pages' tests."""
RETURNEE = {"id": "rtn_1", "status": "registered", "client_ref": "VWN-7", "given_name": "Amina", "family_name": "Okafor",
            "country_of_return": "NG", "household": {"adults": 1, "minors": 2}, "languages": ["en"],
            "vulnerabilities": ["single_parent"], "reintegration_plan": {"goals": {"economic": "tailoring"},
                                                                         "planned_support": []},
            "consent": {"share_with_partner": True, "given_on": "2026-03-01"}, "handover": None,
            "history": [{"status": "registered", "at": "2026-03-01T10:00:00+00:00"}],
            "monitoring": {"next_due_on": None, "latest_index": None, "open_alerts": 0}}
