"""What the fuzz tests need to know about the app's routes, found at run time: the URL of
every route (from the role matrix's rows), a role allowed to use it, and the fields of the
forms its page shows. Routes other areas add are picked up without a change here."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.role_matrix import Case

# The roles the fuzzer acts as, in order of preference.
ACTING_ROLES = ("therapist", "admin", "patient", "anonymous")


@dataclass
class FormField:
    name: str
    kind: str  # "text", "number", "date", "select", "checkbox", "textarea", "hidden", …
    options: list[str] = field(default_factory=list)
    maxlength: int | None = None
    inputmode: str | None = None  # "decimal", "numeric": a number typed as text

    @property
    def takes_a_number(self) -> bool:
        return self.kind == "number" or self.inputmode in ("decimal", "numeric")


@dataclass
class Form:
    method: str
    action: str | None
    fields: dict[str, FormField] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: FormField | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(Form((a.get("method") or "get").lower(), a.get("action")))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "image"):
            maxlength = a.get("maxlength")
            form.fields.setdefault(
                name,
                FormField(name, a.get("type") or "text",
                          maxlength=int(maxlength) if maxlength else None,
                          inputmode=a.get("inputmode")),
            )  # fmt: skip
            if a.get("type") in ("radio", "checkbox") and a.get("value"):
                form.fields[name].options.append(a["value"])
        elif tag == "textarea" and name:
            form.fields.setdefault(name, FormField(name, "textarea"))
        elif tag == "select" and name:
            self._select = form.fields.setdefault(name, FormField(name, "select"))
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def acting_role(case: Case) -> str:
    """A role that may use the route: one that gets 200 if any, else one that gets a 302;
    when everyone is refused (a link with an unknown token), anyone."""
    for wanted in (200, 302):
        for role in ACTING_ROLES:
            if case.expected.get(role) == wanted:
                return role
    return "anonymous"


def own_form(html: str, path: str, method: str) -> Form | None:
    """The form on this page that sends to this same URL with ``method``."""
    for form in forms_in(html):
        if form.method == method.lower() and form.action in (None, "", path):
            return form
    return None
