"""The staff pages translate nothing by matching English text (issue 17, part 2): the web's own account
rules speak gettext messages, so a refused account form is in the page's language whatever its numbers,
and no table in services/web maps English sentences to translations."""
from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[3] / "services" / "web"


def test_a_refused_account_is_said_in_the_pages_language(browser):
    b = browser("admin")
    b.get("/staff")
    dutch = b.post("/staff", {"username": "new.person", "role": "consultant", "password": "short"})
    assert dutch.status_code == 422
    assert "Minstens 12 tekens." in dutch.get_data(as_text=True)
    b.client.get("/staff?lang=en")
    english = b.post("/staff", {"username": "X!", "role": "consultant", "password": "long enough password"})
    assert "Use 2-64 lower-case letters, digits, dots, dashes or @." in english.get_data(as_text=True)


def english_keyed_tables(path: Path) -> list[str]:
    """Dict literals of a module whose keys are English sentences (string constants with spaces): a
    translation table that matches text."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Dict) and node.keys and all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) and " " in k.value for k in node.keys):
            found.append(f"{path.relative_to(WEB)}:{node.lineno}")
    return found


def test_no_table_translates_english_text():
    assert [where for path in sorted(WEB.rglob("*.py")) for where in english_keyed_tables(path)] == []
