"""The pages' code lists: every list a service owns (statuses, support types, exit reasons...) is read from
that service (`GET /v1/vocabularies`, through `web().vocabularies`), never copied here.

Templates: `codes('returnee_statuses')` the codes in order, `choices(...)` with their labels,
`label('exit_reasons', code)` the label in the page's language (the code when the list lacks it), the filter
`labels` for several codes of one list (`r.vulnerabilities|labels('vulnerabilities')`) and `midsentence` for a
label inside running text ("biedt de geplande eigen bedrijf starten").

`OWN` marks for translation the few codes the pages show that are the web app's own, not a service's list:
the staff roles, the timeline's alert steps, the progress report's steps between statuses and the quarterly
figures' names (when intake sends no labels).
"""
from __future__ import annotations

from flask_babel import get_locale, lazy_gettext as _l

from services.web.clients import ApiError, ApiUnavailable
from services.web.security import web

OWN = (
    _l("consultant"), _l("project_lead"), _l("admin"),
    _l("alert_raised"), _l("alert_acknowledged"), _l("alert_resolved"),
    _l("in_monitoring"), _l("decided_to_return"), _l("back_to_future_orientation"),
    _l("in_return_guidance"), _l("handed_over"),
)


def _locale() -> str:
    return str(get_locale() or "nl")


def codes(name: str) -> list[str]:
    return web().vocabularies.codes(name)


def choices(name: str) -> list[tuple[str, str]]:
    return web().vocabularies.choices(name, _locale())


def label(name: str, code) -> str:
    return web().vocabularies.label(name, code, _locale())


def labels(values, name: str, inside: bool = False) -> str:
    """The labels of several codes of one list, as a reader lists them ("Huisvesting, Eigen bedrijf starten");
    `inside`: within running text, each label `midsentence`."""
    return ", ".join((midsentence if inside else str)(label(name, code)) for code in values or ())


def label_in(names, code) -> str | None:
    """The label of `code` in the first of the lists `names` that has it; None when none has it."""
    for name in names:
        try:
            if code in codes(name):
                return label(name, code)
        except (ApiError, ApiUnavailable):
            continue
    return None


def midsentence(text: str) -> str:
    """A label inside running text: its first letter small, unless the first word is an abbreviation (LSO)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def install(app) -> None:
    app.jinja_env.globals.update(codes=codes, choices=choices, label=label, label_in=label_in)
    app.jinja_env.filters.update(midsentence=midsentence, labels=labels)
