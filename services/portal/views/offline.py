"""The service worker (served from the root, so that its scope is the whole site) and the page it shows for
a page this device has not kept."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template

bp = Blueprint("offline", __name__)
SHELL = ("style.css", "app.js", "queue.js", "checkin.js", "checkin_fields.js")  # the app shell the service worker keeps
FAST_MS = 500  # a page the network has not answered within this comes from the copy kept in the session


@bp.route("/sw.js")
def service_worker():
    """The service worker, with the shell's file list and version; allowed to control every page of the site."""
    body = render_template("sw.js", shell=SHELL, version=current_app.extensions["portal_asset_version"],
                           fast_ms=FAST_MS)
    return Response(body, mimetype="text/javascript", headers={"Service-Worker-Allowed": "/",
                                                                "Cache-Control": "no-cache"})


@bp.route("/offline")
def offline():
    """What the service worker shows for a page this device has not kept."""
    return render_template("offline.html")
