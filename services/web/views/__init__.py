"""One blueprint per area: ops, auth, returnees, alerts, countries, reports, admin."""
