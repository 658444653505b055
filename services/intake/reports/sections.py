"""The targets and a breakdown as sections of the downloads (workbook sheets, CSV rows, the printed page), in
the request's language: the labels here (English message ids, translated in intake's `printed` catalogues),
the groups labelled from the vocabularies and country names."""
from __future__ import annotations

from services.intake.brief import country_name
from services.intake.printed import N_, translated
from services.intake.vocabulary import VOCABULARY

TARGETS = {
    "future_orientation": N_("Clients who went through future orientation"),
    "considered_choice": N_("Made a considered choice about the future"),
    "return_project": N_("Of those, referred to a return project"),
    "departed": N_("Of those referred to return guidance, actually departed"),
}
TEXT = {"section": N_("Targets"), "target": N_("Target"), "result": N_("Result"), "met": N_("Met"),
        "yes": N_("yes"), "no": N_("no"), "range": N_("{minimum} to {maximum}"), "at_least": N_("at least {minimum}"),
        "since": N_("from {start} to {end}"), "group": N_("Group"), "clients": N_("Clients"),
        "hidden": N_("Fewer than {k} clients: not shown"), "protects": N_("Not shown, to protect a smaller group"),
        "unknown": N_("not known"), "none": N_("none")}
DIMENSIONS = {"country": N_("By country of return"), "gender": N_("By gender"), "age_band": N_("By age band"),
              "vulnerability": N_("By vulnerability")}
_LISTS = {"gender": "genders", "vulnerability": "vulnerabilities"}


def texts(lang: str) -> dict:
    return translated(TEXT, lang)


def target_rows(report_targets: dict, lang: str) -> list[list]:
    """[target, what was set, the result, met] per target; shares as percentages."""
    t, names = texts(lang), translated(TARGETS, lang)
    rows = []
    for row in report_targets["rows"]:
        if row["kind"] == "count":
            wanted = (t["range"] if row.get("maximum") else t["at_least"]).format(**row)
            result = row["result"]
        else:
            wanted = f"{round(row['share'] * 100)}%"
            result = "–" if row["result"] is None else \
                f"{round(row['result'] * 100)}% ({row['numerator']}/{row['denominator']})"
        rows.append([names[row["target"]], wanted, result, t["yes"] if row["met"] else t["no"]])
    return rows


def group_label(dimension: str, group: str, lang: str) -> str:
    t = texts(lang)
    if group in ("unknown", "none") and not (dimension == "gender" and group == "unknown"):
        return t[group]
    if dimension == "country":
        return country_name(group, lang)
    if dimension in _LISTS and group in VOCABULARY.codes(_LISTS[dimension]):
        return VOCABULARY.labels(_LISTS[dimension], group).get(lang, group)
    return group


def breakdown_rows(breakdown: dict, figures: list[tuple[str, str, str]], lang: str) -> tuple[list, list]:
    """(header, rows) of a breakdown: a row per group, a column per (figure, column, label)."""
    t = texts(lang)
    header = [t["group"], t["clients"], *(label for _, _, label in figures)]
    rows = []
    for row in breakdown["rows"]:
        label = group_label(breakdown["by"], row["group"], lang)
        if row["suppressed"]:
            why = t["hidden"].format(k=breakdown["k"]) if row["suppressed_reason"] == "small_group" else t["protects"]
            rows.append([label, why])
            continue
        values = [row["figures"][name] if column is None else row["figures"][name].get(column)
                  for name, column, _ in figures]
        rows.append([label, row["clients"], *values])
    return header, rows


def target_csv_rows(report_targets: dict) -> list[dict]:
    """CSV rows of the targets: the figures as numbers (`result` a share between 0 and 1 for a share)."""
    nl, en = translated(TARGETS, "nl"), translated(TARGETS, "en")
    return [{"section": "targets", "figure": row["target"], "organisation": "", "label_nl": nl[row["target"]],
             "label_en": en[row["target"]], "target": row.get("share", row.get("minimum")),
             "target_max": row.get("maximum") or "", "result": "" if row["result"] is None else row["result"],
             "met": "yes" if row["met"] else "no"} for row in report_targets["rows"]]


def breakdown_csv_rows(breakdown: dict | None, figures: dict) -> list[dict]:
    """CSV rows of a breakdown: per group, each figure (`figures`: name -> (label_nl, label_en)); a hidden
    group is one row with `suppressed` and no figures."""
    rows = []
    for row in (breakdown or {}).get("rows", ()):
        base = {"section": f"breakdown:{breakdown['by']}", "group": row["group"]}
        if row["suppressed"]:
            rows.append({**base, "figure": "", "suppressed": row["suppressed_reason"]})
            continue
        rows.append({**base, "figure": "clients", "count": row["clients"]})
        for name, value in row["figures"].items():
            numbers = value if isinstance(value, dict) else {"count": value}
            rows.append({**base, "figure": name, "label_nl": figures[name][0], "label_en": figures[name][1],
                         **{c: n for c, n in numbers.items() if c != "by_organisation"}})
    return rows
