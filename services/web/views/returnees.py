"""Consultants' pages: the caseload, registering a returnee, and one returnee with its timeline and actions."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import accounts, forms, vocabulary
from services.web.clients import ApiError, ApiUnavailable
from services.web.messages import problem_message
from services.web.security import roles, web
from services.web.tokens import staff_subject
from services.web.views.common import confirmed, partner_names, pseudonymous
from services.web.views.returnee_page import WRITERS, act, detail_context, handover_refused

bp = Blueprint("returnees", __name__, url_prefix="/returnees")
PAGE = 50
STAFF = ("consultant", "project_lead", "admin")
AFTER_ARRIVAL = ("arrived", "monitoring_completed", "closed")  # intake's rule: a missing departure may still be recorded


def departure_missing(returnee: dict) -> bool:
    """The partner confirmed the arrival but no departure is recorded: the consultant can still record it."""
    return returnee.get("status") in AFTER_ARRIVAL and not returnee.get("departed_on")


@bp.app_context_processor
def _returnee_helpers() -> dict:
    return {"departure_missing": departure_missing}


@bp.route("")
@roles(*STAFF)
def caseload():
    """Returnees with status, country, partner, next check-in, latest index and open alerts."""
    status, country = request.args.get("status") or None, (request.args.get("country") or "").upper() or None
    q = request.args.get("q", "").strip() if g.user.role != "project_lead" else ""
    attention = request.args.get("attention") == "1"
    mine = request.args.get("mine") == "1"
    consultant = staff_subject(g.user.username) if mine else None  # as intake recorded who registered
    statuses = vocabulary.choices("returnee_statuses")
    if status not in dict(statuses):
        status = None
    cursor = request.args.get("cursor") or None
    page = web().intake.returnees(limit=PAGE, cursor=cursor, status=status, country=country, consultant=consultant,
                                  q=q or None, attention=attention)  # one call: intake searches and filters
    names = partner_names()
    return render_template("returnees/list.html", returnees=[pseudonymous(r) for r in page["items"]], partners=names,
                           status=status, country=country or "", q=q, attention=attention, mine=mine,
                           next_cursor=page.get("next_cursor"), paged=bool(cursor), statuses=statuses)


ELIGIBILITY_QUERY = {"household.adults": "adults", "household.minors": "accompanied_minors",
                     "household.unaccompanied_minors": "unaccompanied_minors"}


def eligibility_query(values: dict) -> dict | None:
    """GET /v1/eligibility's query from the form: `country` is the NATIONALITY (the return country when the
    nationality is not filled in), the country of return beside it, the household and the REAN questions."""
    going = (values.get("country_of_return") or "").strip().upper()
    country = (values.get("nationality") or "").strip().upper() or going
    if len(country) != 2:
        return None
    query = {"country": country}
    if len(going) == 2:
        query["country_of_return"] = going
    try:
        for field, name in ELIGIBILITY_QUERY.items():
            query[name] = int(values.get(field) or (1 if name == "adults" else 0))
    except ValueError:
        return None
    for question in forms.QUESTIONS:
        if values.get(f"eligibility_questions.{question}") == "true":
            query[question] = "true"
    if values.get("planned_departure_date"):
        query["on"] = values["planned_departure_date"]
    return query


def _eligibility(values: dict):
    query = eligibility_query(values)
    if query is None:
        return None
    try:
        answer = web().intake.eligibility(**query)
    except (ApiError, ApiUnavailable):  # a hint beside the form: never in the way of registering
        return None
    return {**answer, "judged_on": query.get("on") or web().clock.today().isoformat()}


def _offices() -> list[dict]:
    try:
        return web().intake.offices()
    except (ApiError, ApiUnavailable):  # the office is optional: the form still works without the list
        return []


def consultants() -> list[tuple[str, str]]:
    """(intake's `consultant`, the name shown) of the active staff who can follow a client."""
    return [(staff_subject(a.username), a.display_name or a.username) for a in accounts.list_accounts()
            if a.active and a.role in WRITERS]


def _form_page(template: str, values: dict, errors: dict, status: int = 200, **extra):
    more = request.method == "POST" and bool(request.form.get("more_support"))
    return render_template(template, values=values, errors=errors, support_rows=forms.support_rows(values, more),
                           regions=_offices(), consultants=consultants(), **extra), status


@bp.route("/new", methods=["GET", "POST"])
@roles(*WRITERS)
def register():
    """Register a returnee with consent and the reintegration plan; eligibility shown as the form is filled."""
    if request.method == "GET":
        values = forms.kept_values(forms.returnee_input_values) or (
            forms.returnee_input_values(request.args) if request.args else {
                **{f"household.{k}": v for k, v in forms.HOUSEHOLD.items()}, "trajectory": forms.DEFAULT_TRAJECTORY,
                "consultant": staff_subject(g.user.username), "consent.given_on": web().clock.today().isoformat()})
        return _form_page("returnees/new.html", values, {}, eligibility=_eligibility(values))
    values = forms.returnee_input_values(request.form)
    if request.form.get("more_support"):  # "one more line": the form again, nothing sent
        return _form_page("returnees/new.html", values, {}, eligibility=_eligibility(values))
    try:
        created = web().intake.register(forms.returnee_body(request.form))
    except ApiError as error:
        if error.status != 422:
            raise
        return _form_page("returnees/new.html", values, forms.returnee_errors(error, request.form), 422,
                          eligibility=_eligibility(values))
    flash(_("Returnee registered."))
    return redirect(url_for("returnees.detail", returnee_id=created["id"]))


@bp.route("/eligibility")
@roles(*STAFF)
def eligibility():
    """The eligibility panel alone (the register form's script swaps it in while typing)."""
    return render_template("returnees/_eligibility.html", eligibility=_eligibility(request.args))


@bp.route("/<returnee_id>")
@roles(*STAFF)
def detail(returnee_id):
    """Details, consent, plan, timeline and the actions the returnee's status allows."""
    return render_template("returnees/detail.html", **detail_context(returnee_id))


@bp.route("/<returnee_id>/handover", methods=["POST"])
@roles(*WRITERS)
def hand_over(returnee_id):
    partner_id = request.form.get("partner_id", "")
    return act(returnee_id, lambda: web().intake.hand_over(returnee_id, partner_id),
               _("The case was offered to the partner."), refused=handover_refused)


@bp.route("/<returnee_id>/departure", methods=["POST"])
@roles(*WRITERS)
def departure(returnee_id):
    day = request.form.get("departed_on", "").strip() or None
    return act(returnee_id, lambda: web().intake.record_departure(returnee_id, day), _("Departure recorded."))


@bp.route("/<returnee_id>/trajectory", methods=["POST"])
@roles(*WRITERS)
def trajectory(returnee_id):
    """Record the decision to return (or going back to future orientation)."""
    chosen = request.form.get("trajectory", "return_guidance")
    day = request.form.get("decided_on", "").strip() or None
    return act(returnee_id, lambda: web().intake.change_trajectory(returnee_id, chosen, day), _("Decision recorded."))


@bp.route("/<returnee_id>/exit", methods=["POST"])
@roles(*WRITERS)
def exit_case(returnee_id):
    """End the case without return."""
    body = {"reason": request.form.get("reason", ""), "exited_on": request.form.get("exited_on", "").strip() or None,
            "note": request.form.get("note", "").strip()}
    if request.form.get("organisation"):
        body["organisation"] = request.form["organisation"]
    return act(returnee_id, lambda: web().intake.record_exit(returnee_id, body), _("The case was closed."))


@bp.route("/<returnee_id>/progress-report")
@roles(*STAFF)
def progress_report(returnee_id):
    """The half-yearly progress report, printable (pseudonymous for project leads: the API decides)."""
    until = request.args.get("until", "").strip() or None
    try:
        report = web().intake.progress_report(returnee_id, until)
    except ApiError as error:
        if error.status != 422:
            raise
        flash(forms.field_errors(error).get("until") or problem_message(error))
        return redirect(url_for("returnees.progress_report", returnee_id=returnee_id))
    return render_template("returnees/progress.html", p=pseudonymous(report), until=until,
                           organisations={o["id"]: o["name"] for o in web().intake.return_organisations()})


@bp.route("/<returnee_id>/consent", methods=["POST"])
@roles(*WRITERS)
def consent(returnee_id):
    """Record consent; withdrawing all of it first asks for a confirmation that says which sharing stops."""
    body = forms.consent_body(request.form)
    success = _("Consent recorded.")
    if request.form.get("withdraw") == "1":
        answer = confirmed()
        if not answer:
            returnee = web().intake.returnee(returnee_id)
            return render_template("returnees/withdraw.html", r=returnee, partners=partner_names(),
                                   given_on=body["given_on"] or (returnee.get("consent") or {}).get("given_on")
                                   or web().clock.today().isoformat(),
                                   error=answer is False), 200 if answer is None else 422
        body.update(share_with_partner=False, share_outcomes_with_chain_partners=False)
        success = _("All consent withdrawn: nothing more is shared with the partner organisation or chain partners.")
    return act(returnee_id, lambda: web().intake.set_consent(returnee_id, body), success,
               {k: f"consent.{k}" for k in body})


@bp.route("/<returnee_id>/edit", methods=["GET", "POST"])
@roles(*WRITERS)
def correct(returnee_id):
    """Correct a returnee's details (not status, not consent)."""
    returnee = web().intake.returnee(returnee_id)
    if request.method == "GET":
        values = forms.kept_values(forms.returnee_input_values) or forms.returnee_form_values(returnee)
        return _form_page("returnees/edit.html", values, {}, r=returnee)
    if request.form.get("more_support"):
        return _form_page("returnees/edit.html", forms.returnee_input_values(request.form), {}, r=returnee)
    try:
        web().intake.correct(returnee_id, forms.returnee_body(request.form, with_consent=False))
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        return _form_page("returnees/edit.html", forms.returnee_input_values(request.form),
                          forms.returnee_errors(error, request.form), error.status, r=returnee,
                          problem=problem_message(error))
    flash(_("Details corrected."))
    return redirect(url_for("returnees.detail", returnee_id=returnee_id))


@bp.route("/<returnee_id>/erase", methods=["GET", "POST"])
@roles(*WRITERS)
def erase(returnee_id):
    """Erasure, after a confirmation that says what it destroys."""
    returnee = web().intake.returnee(returnee_id)
    if request.method == "GET":
        return render_template("returnees/erase.html", r=returnee)
    if request.form.get("confirm") != returnee_id:
        return render_template("returnees/erase.html", r=returnee, error=True), 422
    web().intake.erase(returnee_id)
    flash(_("The returnee's personal data was erased in every service."))
    return redirect(url_for("returnees.caseload"))


