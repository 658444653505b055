"""Administrators' page for the yearly eligibility rule sets: the list (year, valid from, origin, in force or
upcoming), uploading a new year's rule set as a JSON file, its differences with the rule set before it
(intake's dry run) before confirming, then loading it (docs/eligibility.md)."""
from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _

from services.web.clients import ApiError
from services.web.security import roles, web

bp = Blueprint("rules", __name__, url_prefix="/admin/rules")


def _page(status: int = 200, **extra):
    return render_template("rules.html", rule_sets=web().intake.rule_sets(), **extra), status


def _refused(error: ApiError) -> list[str]:
    """Why intake refused a rule set, in the page's language (intake words errors.rules in it)."""
    if error.status == 409:
        return [_("There is a rule set for this year already; a rule set is not changed once loaded.")]
    if error.status != 422:
        raise error
    lines = [_("The rule set is not valid.")]
    for path, message in sorted(error.errors.items()):
        lines.append(f"{path}: {message}" if path != "rules" else str(message))
    return lines


def _read(raw: bytes | str) -> dict | None:
    try:
        rules = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return rules if isinstance(rules, dict) else None


@bp.route("")
@roles("admin")
def rule_sets():
    return _page()


@bp.route("", methods=["POST"])
@roles("admin")
def preview():
    """The uploaded file, checked and compared (nothing stored yet)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(422, problems=[_("Choose a rule set file (JSON).")])
    rules = _read(upload.read())
    if rules is None:
        return _page(422, problems=[_("This file is not a rule set in JSON.")])
    try:
        answer = web().intake.load_rule_set(rules, dry_run=True, language=str(get_locale()))
    except ApiError as error:
        return _page(error.status, problems=_refused(error))
    return _page(preview=answer, rules_json=json.dumps(rules, ensure_ascii=False))


@bp.route("/confirm", methods=["POST"])
@roles("admin")
def confirm():
    """Load the previewed rule set: in force from its valid-from day."""
    rules = _read(request.form.get("rules_json", ""))
    if rules is None:
        return _page(422, problems=[_("This file is not a rule set in JSON.")])
    try:
        loaded = web().intake.load_rule_set(rules, dry_run=False, language=str(get_locale()))
    except ApiError as error:
        return _page(error.status, problems=_refused(error))
    flash(_("The rules of %(year)s are loaded: in force from %(day)s.", year=loaded["rule_set"]["year"],
            day=loaded["rule_set"]["valid_from"]))
    return redirect(url_for("rules.rule_sets"))
