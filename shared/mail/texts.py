"""What a mail says, in the recipient's language: gettext catalogues of the domain `mail`
(`shared/translations/<lang>/LC_MESSAGES/mail.po`, English the message ids; `make translations` extracts
the `N_` marks of this file and compiles).

A mail names its kind, the country (by name, in the recipient's language), the due date and a link to the
page; `render` takes nothing else, so a returnee's name, notes or scores cannot reach a mailbox (mail is
stored on servers nobody here controls).
"""
from __future__ import annotations

import gettext
import html
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

LANGUAGES = ("nl", "en", "fr")
DOMAIN = "mail"
CATALOGUES = Path(__file__).resolve().parent.parent / "translations"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for a text marked, translated later
    return message


# kind -> (subject, first sentence); the staff's kinds, then the partner people's
KINDS = {
    "safety_concern": (N_("Safety concern reported"),
                       N_("A partner reported a safety concern about a client you follow.")),
    "critical_domain": (N_("Critical score in a check-in"),
                        N_("A check-in scored a domain as critical for a client you follow.")),
    "lost_contact": (N_("Contact lost"), N_("The partner has lost contact with a client you follow.")),
    "handover_declined": (N_("Handover declined"),
                          N_("A partner organisation declined the handover of a client you follow.")),
    "handover_expired": (N_("Handover offer expired"),
                         N_("A handover offer for a client you follow expired without an answer.")),
    "re_migrated": (N_("Reported as re-migrated"),
                    N_("The partner reported that a client you follow migrated again.")),
    "deceased": (N_("Reported as deceased"), N_("The partner reported that a client you follow died.")),
    "checkin_overdue": (N_("Check-in overdue"), N_("A check-in of a returnee is overdue.")),
    "offer_new": (N_("New handover offer"), N_("Your organisation has a new handover offer to answer.")),
    "offer_expiring": (N_("Handover offer expires soon"),
                       N_("A handover offer to your organisation expires soon without an answer.")),
    "checkin_due_soon": (N_("Check-in due soon"), N_("A check-in of a returnee you follow is due soon.")),
}
STAFF_KINDS = ("safety_concern", "critical_domain", "lost_contact", "handover_declined", "handover_expired",
               "re_migrated", "deceased", "checkin_overdue")
PARTNER_KINDS = ("offer_new", "offer_expiring", "checkin_due_soon", "checkin_overdue")
COUNTRY = N_("Country: {country}")
DUE = N_("Due: {due_on}")
OPEN = N_("Open the page")
PRIVACY = N_("This mail names no one on purpose: the page shows the details after you sign in.")
SETTINGS = N_("Which mails you get, and when, is in your settings.")
SETTINGS_AT = N_("Which mails you get, and when, is in your settings (or to stop them): {link}")
DIGEST = N_("Daily summary: {count} notifications")
DIGEST_INTRO = N_("What happened since the last summary:")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, CATALOGUES, languages=[lang], fallback=True)


def _(lang: str, message: str, **values) -> str:
    return _catalogue(lang).gettext(message).format(**values)


def language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "en"


def country_name(code: str | None, lang: str) -> str:
    """The country's name in the language (Babel's CLDR names), the code when it knows none."""
    if not code:
        return ""
    from babel import Locale

    return Locale.parse(lang).territories.get(code.upper(), code.upper())


def long_date(day: date | None, lang: str) -> str:
    if day is None:
        return ""
    from babel.dates import format_date

    return format_date(day, format="long", locale=lang)


def line(kind: str, lang: str, country: str | None = None, due_on: date | None = None, link: str = "") -> str:
    """The one-line form of a notification, for the daily digest."""
    lang = language(lang)
    parts = [_(lang, KINDS[kind][0]), country_name(country, lang), long_date(due_on, lang), link]
    return " · ".join(part for part in parts if part)


def render(kind: str, lang: str, country: str | None = None, due_on: date | None = None,
           link: str = "", settings: str = "") -> Rendered:
    """The subject, plain text and HTML of a mail of `kind`; only these values, never a person's."""
    lang = language(lang)
    subject, sentence = KINDS[kind]
    facts = []
    if country:
        facts.append(_(lang, COUNTRY, country=country_name(country, lang)))
    if due_on is not None:
        facts.append(_(lang, DUE, due_on=long_date(due_on, lang)))
    return _compose(lang, _(lang, subject), [_(lang, sentence), *facts], link, [], settings)


def render_digest(lang: str, lines: list[str], link: str = "", settings: str = "") -> Rendered:
    """One mail with the day's notifications of a person who chose the digest."""
    lang = language(lang)
    return _compose(lang, _(lang, DIGEST, count=len(lines)), [_(lang, DIGEST_INTRO)], link, lines, settings)


def _compose(lang: str, subject: str, paragraphs: list[str], link: str, items: list[str],
             settings: str = "") -> Rendered:
    """`settings`: the recipient's mail settings page (where to stop these mails), also in List-Unsubscribe."""
    footer = [_(lang, PRIVACY), _(lang, SETTINGS_AT, link=settings) if settings else _(lang, SETTINGS)]
    text = "\n\n".join([*paragraphs, *(["\n".join(f"- {item}" for item in items)] if items else []),
                        *([f"{_(lang, OPEN)}: {link}"] if link else []), *footer]) + "\n"
    esc = html.escape
    body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    if items:
        body += "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>"
    if link:
        body += f'<p><a href="{esc(link, quote=True)}">{esc(_(lang, OPEN))}</a></p>'
    body += "".join(f'<p style="color:#555;font-size:90%">{esc(p)}</p>' for p in footer)
    page = f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{esc(subject)}</title></head>' \
           f"<body>{body}</body></html>\n"
    return Rendered(subject, text, page)
