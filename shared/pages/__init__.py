"""Page machinery for the Flask apps that serve HTML (the staff web app, the partner portal), written once:

- `csrf`: the token every form (and every JSON write from a page) carries, before and after sign-in;
- `sessions`: server-side sessions (the cookie holds a random token, the store its SHA-256), idle and
  absolute expiry;
- `locale`: which language a request is shown in (`?lang=`, remembered in a cookie; then the app's own
  choice, e.g. the organisation's language), the languages a catalogue folder offers, the writing
  direction (`dir="rtl"`);
- `formatting`: dates, numbers and amounts as the page's locale writes them (Jinja filters);
- `headers`: the security headers of every page, and `safe_path` against open redirects.

Nothing here knows an app: each app passes its cookie names, store and settings in.
"""
