"""Monitoring's domain: the schedule, scoring, the case rules (slots and alerts) and insights.

Standard library only (plus dateutil for calendar months). Dates are ISO strings (`YYYY-MM-DD`),
which compare correctly as text and store as-is.
"""
