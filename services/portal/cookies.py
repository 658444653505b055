"""The portal's cookie names: its own, so that neither the staff web app's cookies (same host, other port)
nor these are ever taken for the other's."""

SESSION_COOKIE = "homeward_portal_session"  # a random token; the session itself is server-side
CSRF_COOKIE = "homeward_portal_csrf"  # before sign-in (the sign-in form): double-submit
LANG_COOKIE = "homeward_portal_lang"  # a language chosen with ?lang=
