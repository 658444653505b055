"""Reports for project leads: the programme's quarterly report (with Homeward's monitoring figures) and
the programme results, as pure functions over the facts `repository.report_facts()` gives."""
from services.intake.reports.programme import programme_results, programme_rows
from services.intake.reports.quarterly import quarter_bounds, quarterly_report, report_rows

__all__ = ["programme_results", "programme_rows", "quarter_bounds", "quarterly_report", "report_rows"]
