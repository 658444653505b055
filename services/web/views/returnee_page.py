"""One returnee's page as the consultant sees it: its details, case, timeline, partner suggestions and the
actions its status allows; an action refused by the API comes back on this page, worded in its language."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import forms
from services.web.clients import ApiError, ApiUnavailable
from services.web.security import draft_for, web
from services.web.tokens import staff_subject
from services.web.timeline import build_timeline, open_alerts
from services.web.views.alerts import worklist
from services.web.views.before_after import assessments_context, may_contact
from services.web.views.common import partner_names, pseudonymous

WRITERS = ("consultant", "admin")
EXIT_FROM = ("registered", "handover_requested", "handover_declined", "handover_accepted")  # intake's rule


def case_of(returnee_id: str) -> dict | None:
    try:
        return pseudonymous(web().monitoring.case(returnee_id))
    except ApiError as error:
        if error.status == 404:  # not in monitoring yet
            return None
        raise


def suggestions(returnee: dict) -> list[dict]:
    """Partners serving the returnee's country, those offering the planned support first."""
    wanted = {row["type"] for row in (returnee.get("reintegration_plan") or {}).get("planned_support") or []}
    declined = {(returnee.get("handover") or {}).get("partner_id")} \
        if returnee.get("status") == "handover_declined" else set()
    partners = [p for p in web().partners.partners(country=returnee["country_of_return"]) if p.get("active", True)]
    timeliness = {}
    if g.user.role == "admin":  # the scorecard is for project leads and administrators
        timeliness = {row["partner_id"]: row for row in web().monitoring.scorecard()}
    for partner in partners:
        partner["covers"] = sorted(wanted & set(partner.get("services") or []))
        partner["timeliness"] = timeliness.get(partner["id"])
        partner["declined_before"] = partner["id"] in declined
    return sorted(partners, key=lambda p: (p["declined_before"], -len(p["covers"]), p["name"]))


def detail_context(returnee_id: str, errors: dict | None = None) -> dict:
    """Everything the returnee's page shows: `returnees.detail` renders it, `act` re-renders it after a refusal."""
    returnee = pseudonymous(web().intake.returnee(returnee_id))
    case = case_of(returnee_id)
    writer = g.user.role in WRITERS
    may_hand_over = (returnee["status"] in ("registered", "handover_declined") and writer
                     and returnee.get("trajectory", "return_guidance") == "return_guidance")
    consented = bool((returnee.get("consent") or {}).get("share_with_partner"))
    can_hand_over = may_hand_over and consented
    notes = notes_context(returnee_id)
    holding = (returnee.get("handover") or {}).get("status") in ("accepted", "arrived")  # intake's sharing.HOLDING
    return dict(r=returnee, case=case, timeline=build_timeline(returnee, case, (notes["notes"] or {}).get("items")),
                may_share=writer and holding and consented, partners=partner_names(), **notes, **documents_context(returnee_id),
                **assessments_context(returnee_id, case), may_contact=may_contact,
                suggestions=suggestions(returnee) if can_hand_over else [], can_hand_over=can_hand_over,
                needs_consent=may_hand_over and not consented, open_alerts=worklist(open_alerts(case)),
                today=web().clock.today().isoformat(), errors=errors or {}, problem=None, writer=writer,
                organisations=organisations_for_exit(returnee))


def may_correct(note: dict) -> bool:
    """The note's author and administrators see its earlier versions and may correct it (intake's rule)."""
    return g.user.role == "admin" or note.get("written_by") == staff_subject(g.user.username)


def notes_context(returnee_id: str) -> dict:
    """The "Gesprekken" section: the newest notes (or those `notes_q` finds), ten a page; none for project leads.
    When intake cannot list them now, the section says so and the rest of the page is shown."""
    if g.user.role not in WRITERS:
        return {"notes": None, "notes_q": ""}
    q = request.args.get("notes_q", "").strip()
    try:
        page = web().intake.notes(returnee_id, q=q or None, limit=10, cursor=request.args.get("notes_cursor") or None)
    except (ApiError, ApiUnavailable):  # the rest of the page still helps; the section says the notes are missing
        page = {"items": [], "next_cursor": None, "unavailable": True}
    for note in page["items"]:
        note["may_correct"] = may_correct(note)
    return {"notes": page, "notes_q": q, "note_form": note_form(returnee_id)}


def note_form(returnee_id: str) -> dict:
    """The note form's values: as sent when it comes back refused, or kept after an expired session."""
    if request.method == "POST" and request.endpoint == "notes.add":
        values = request.form.to_dict()
        values["with"] = request.form.getlist("with")
    else:
        values = draft_for(url_for("notes.add", returnee_id=returnee_id))
        values["with"] = [values["with"]] if values.get("with") else []
    return values


def documents_context(returnee_id: str) -> dict:
    """The "Documenten" section: the newest documents, twenty a page; none for project leads. When intake cannot
    list them now, the section says so and the rest of the page is shown."""
    if g.user.role not in WRITERS:
        return {"documents": None}
    try:
        page = web().intake.documents(returnee_id, cursor=request.args.get("documents_cursor") or None)
    except (ApiError, ApiUnavailable):
        page = {"items": [], "next_cursor": None, "unavailable": True}
    return {"documents": page}



def organisations_for_exit(returnee: dict) -> list[dict]:
    """The return organisations for the exit form, when the user may close the case and it still can be."""
    if g.user.role not in WRITERS or returnee["status"] not in EXIT_FROM:
        return []
    return web().intake.return_organisations()


def act(returnee_id: str, action, success: str, field_names: dict | None = None, refused=None):
    """Run an API action for a returnee; a refusal (409, 422) comes back on the returnee's page as it is now,
    with a message in the page's language: `refused(status, context)` words it for the action, else a
    general one by status (the API's English detail is never shown)."""
    try:
        action()
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        errors = forms.field_errors(error, field_names)
        context = detail_context(returnee_id, errors)
        context["problem"] = (refused and refused(error.status, context)) or refusal(error.status, errors)
        return render_template("returnees/detail.html", **context), error.status
    flash(success)
    return redirect(url_for("returnees.detail", returnee_id=returnee_id))


def refusal(status: int, errors: dict) -> str:
    if status == 409:
        return _("This could not be done: the case changed in the meantime. The page shows what can be done now.")
    if errors:
        return _("This could not be saved: see the messages at the fields.")
    return _("This could not be saved: a value was not accepted.")


def handover_refused(status: int, context: dict) -> str | None:
    """Why a handover was refused, said from the returnee's state as it is now."""
    if context["needs_consent"]:
        return _("The case could not be offered to the partner: the returnee has not given consent to share "
                 "with the partner organisation.")
    if status == 409:
        return _("The case could not be offered to the partner: its status changed in the meantime. "
                 "The page shows what can be done now.")
    return None
