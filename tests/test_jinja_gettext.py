"""The templates' gettext callables: Jinja's "new style" (a format string whose variables are
escaped under autoescape), in the request's language, without copying the template context
for every call inside a loop or a block (issue 24)."""

from __future__ import annotations

import jinja2
from flask import render_template_string
from flask_babel import force_locale

# As the pages do: a block that sets a variable, a loop that sets one.
TEMPLATE = (
    '{% block content %}{% set who = "<b>Sanne</b>" %}{% for n in [1, 2] %}{% set m = n %}\n'
    '{{ _("Progress of %(name)s", name=who) }}|'
    '{{ ngettext("%(num)s exercise", "%(num)s exercises", m) }}|'
    '{{ pgettext("verb", "Change") }}|{{ gettext("100%% done") }}\n'
    "{% endfor %}{% endblock %}"
)


def test_translations_escape_their_variables_and_format_like_jinjas_new_style(app):
    with app.test_request_context(), force_locale("nl"):
        html = render_template_string(TEMPLATE)
    lines = [line for line in html.splitlines() if line]
    assert lines[0] == "Voortgang van &lt;b&gt;Sanne&lt;/b&gt;|1 oefening|Aanpassen|100% done"
    assert lines[1].split("|")[1] == "2 oefeningen"
    with app.test_request_context(), force_locale("en"):
        english = render_template_string(TEMPLATE)
    assert "Progress of &lt;b&gt;Sanne&lt;/b&gt;|2 exercises" in english


def test_a_translation_inside_a_loop_does_not_copy_the_template_context(app, monkeypatch):
    copies = []
    derived = jinja2.runtime.Context.derived

    def counted(self, locals=None):
        copies.append(1)
        return derived(self, locals)

    monkeypatch.setattr(jinja2.runtime.Context, "derived", counted)
    with app.test_request_context(), force_locale("nl"):
        render_template_string(TEMPLATE)
    assert copies == []  # Jinja's own callables make at least one per call
