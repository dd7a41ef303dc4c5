"""axe-core on every page each role can reach, at a desktop and a phone's width.

The pages come from the role matrix (tests/role_matrix): every GET route that answers 200 to
the therapist, the admin, the patient or an anonymous visitor. Each such route needs a row in
PAGES below (or in NOT_PAGES when it answers with something other than a page), so a new page
without a row fails ``test_every_page_has_a_row``, as a new route does in the role matrix.
Each role visits every page it reaches (the admin the therapist's pages too), one test per
role and width.

Every visit opens the menus, expands every ``<details>``, and for a form page (``submit``)
also submits it with its fields emptied, so the messages are checked too. axe-core comes from
the axe-playwright-python package (dev dependencies) and is injected with the browser's CSP
bypass, in this test only; ``target-size`` (WCAG 2.2, off by default in axe) is switched on.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from importlib import resources

import pytest
from flask import url_for

import tests.role_matrix as matrix
from tests.conftest import user_for_role
from tests.factories import login_as

pytestmark = pytest.mark.browser

AREA_MODULES = [
    importlib.import_module(f"tests.role_matrix.{info.name}")
    for info in pkgutil.iter_modules(matrix.__path__)
]
CASES = [case for module in AREA_MODULES for case in module.CASES]
AXE_SOURCE = (resources.files("axe_playwright_python") / "axe.min.js").read_text()
ROLES = ("anonymous", "patient", "therapist", "admin")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}


@dataclass(frozen=True)
class Visit:
    submit: bool = False  # also submit the page's form with its fields emptied
    form: str = "main form[method=post]"  # which form to submit
    ready: str | None = None  # a page drawn by script: wait for this before looking


PAGE = Visit()
FORM = Visit(submit=True)

# endpoint -> how to look at it. Every GET route that shows a page to some role has a row.
PAGES: dict[str, Visit] = {
    "auth.login": FORM,
    "auth.forgot_password": FORM,
    "auth.forgot_password_sent": PAGE,
    "auth.confirm_email_change": PAGE,
    "auth.change_password": FORM,
    "auth.account": PAGE,
    "auth.reauthenticate": FORM,
    "auth.change_email": FORM,
    "auth.two_factor_setup": FORM,
    "auth.clinic_settings": PAGE,
    "auth.staff": PAGE,
    "auth.new_staff": FORM,
    "audit.index": PAGE,
    "audit.my_record_access": PAGE,
    "mail.index": PAGE,
    "mail.message": PAGE,
    "offline.offline_page": PAGE,
    "reminders.settings": PAGE,
    "reminders.unsubscribe": PAGE,
    "reminders.new_appointment": FORM,
    "exercises.index": PAGE,
    "exercises.detail": PAGE,
    "exercises.new": FORM,
    "exercises.edit": FORM,
    "patients.caseload": PAGE,
    "patients.new": FORM,
    "patients.detail": PAGE,
    "patients.edit": FORM,
    "patients.discharge": PAGE,
    "patients.transfer": PAGE,
    "patients.analyses": PAGE,
    "patients.new_analysis": FORM,
    "patients.analysis": PAGE,
    "patients.edit_analysis": PAGE,
    "patients.compare": PAGE,
    "patients.my_analyses": PAGE,
    "patients.my_analysis": PAGE,
    "programmes.new": FORM,
    "programmes.show": PAGE,
    "programmes.builder": PAGE,
    "programmes.new_phase": FORM,
    "programmes.edit_phase": PAGE,
    "programmes.new_criterion": FORM,
    "programmes.edit_criterion": PAGE,
    "programmes.pick_exercise": PAGE,
    "programmes.new_prescription": FORM,
    "programmes.edit_prescription": PAGE,
    "programmes.prescription_history": PAGE,
    "programmes.save_as_template": FORM,
    "programmes.rename_template": FORM,
    "programmes.templates": PAGE,
    "programmes.builtin_template": PAGE,
    "programmes.mine": PAGE,
    "reports.progress_report": FORM,
    "reports.batch": FORM,
    "reports.batch_job": PAGE,
    "privacy.destruction": PAGE,
    "training.today": FORM,
    "training.session_detail": PAGE,
    "training.edit_session": PAGE,
    "training.checkin": FORM,
    "training.history": PAGE,
    "training.dashboard": PAGE,
    "training.progress": PAGE,
    "exercises.figure_review": PAGE,
    "api_tokens.index": FORM,
    # Swagger UI (flask-swagger-ui), with our colours and fixes (static/css/api-docs.css,
    # static/js/api-docs.js); test_no_axe_violations_on_api_docs_opened also opens it up.
    "api_docs.docs_page": Visit(ready="#swagger-ui .opblock"),
}
# GET routes that answer with something other than an HTML page (files, feeds, JSON).
NOT_PAGES = {
    "main.health": "JSON",
    "main.robots": "text",
    "exercises.picture": "image",
    "mail.message_html": "an e-mail's own HTML, shown in a sandboxed frame of mail.message",
    "reminders.calendar_feed": "iCalendar",
    "offline.service_worker": "JavaScript",
    "offline.manifest": "JSON",
    "reports.exercise_card": "PDF",
    "reports.my_handout": "PDF",
    "reports.handout": "PDF",
    "reports.batch_download": "PDF or zip",
    "audit.export": "CSV",
    "training.offline_state": "JSON",
    "privacy.export": "zip download",
    "exercises.figure": "SVG image",
    "training.progress_chart": "SVG image (the progress page's chart)",
    "training.history_chart": "SVG image (the history page's chart)",
    "exercises.figure_review_pdf": "PDF",
    "exports.caseload": "CSV",
    "exports.patient_sessions": "CSV",
    "api_docs.openapi_json": "JSON",
    **{
        f"api.{name}": "JSON"
        for name in (
            "alerts",
            "analyses",
            "check_ins",
            "exercise",
            "exercises",
            "fhir_bundle",
            "me",
            "patient",
            "patients",
            "programme",
            "sessions",
            "suggestions",
        )
    },
}


def reachable() -> list[tuple[str, str]]:
    """(role, endpoint) for every GET route a role gets a 200 from."""
    return [
        (role, case.endpoint)
        for case in CASES
        if case.method == "GET"
        for role in ROLES
        if case.expected[role] == 200
    ]


def test_every_page_has_a_row():
    endpoints = {endpoint for _role, endpoint in reachable()}
    missing = sorted(endpoints - set(PAGES) - set(NOT_PAGES))
    stale = sorted((set(PAGES) | set(NOT_PAGES)) - endpoints)
    assert not missing, f"pages without a row in the accessibility test: {missing}"
    assert not stale, f"rows for pages no role reaches: {stale}"


def expand_everything(page) -> None:
    """Open every <details> and the collapsed navigation (phone)."""
    page.evaluate(
        """() => new Promise(done => {
            document.querySelectorAll('details').forEach(d => { d.open = true; });
            requestAnimationFrame(() => setTimeout(done, 0));  // after their toggle events
        })"""
    )
    toggler = page.locator(".navbar-toggler")
    if toggler.count() and toggler.is_visible():
        toggler.click()
        page.locator("#mainnav.show").wait_for()


def violations(page, where: str) -> list[str]:
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    found = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            found.append(
                f"{where}: {violation['id']} ({violation['impact']}) at {node['target']}: "
                f"{node['failureSummary'].splitlines()[-1].strip()}"
            )
    return found


def check_page(page, where: str) -> list[str]:
    expand_everything(page)
    return violations(page, where)


def check_menus(page, where: str) -> list[str]:
    """Each dropdown menu open in turn (the header's menus are the same on every page)."""
    found = []
    toggles = page.locator("[data-bs-toggle=dropdown]:visible")
    for n in range(toggles.count()):
        toggles.nth(n).click()
        page.locator(".dropdown-menu.show").wait_for()
        found += violations(page, f"{where} (menu {n + 1} open)")
        page.keyboard.press("Escape")
    return found


def error_wiring(page, where: str) -> list[str]:
    """A refused form: each field in error is marked aria-invalid and described by its
    message; the error summary has the focus and each of its items links to a field."""
    problems = page.evaluate(
        r"""() => {
            const problems = [];
            const fields = document.querySelectorAll(
                'input.is-invalid, select.is-invalid, textarea.is-invalid');
            for (const field of fields) {
                const name = field.id || field.name;
                if (field.getAttribute('aria-invalid') !== 'true')
                    problems.push(`${name} is not aria-invalid`);
                const described = (field.getAttribute('aria-describedby') || '').split(/\s+/)
                    .map(id => document.getElementById(id)).filter(Boolean);
                const fieldset = field.closest('fieldset[aria-describedby]');
                if (fieldset) described.push(...fieldset.getAttribute('aria-describedby')
                    .split(/\s+/).map(id => document.getElementById(id)).filter(Boolean));
                if (!described.some(el => el.classList.contains('invalid-feedback')))
                    problems.push(`${name} is not described by its message`);
            }
            const summary = document.querySelector('[data-error-summary]');
            if (fields.length && !summary) problems.push('no error summary');
            if (summary) {
                if (document.activeElement !== summary) problems.push('summary not focused');
                for (const link of summary.querySelectorAll('a[href^="#"]')) {
                    if (!document.getElementById(link.getAttribute('href').slice(1)))
                        problems.push(`summary link ${link.getAttribute('href')} leads nowhere`);
                }
            }
            return problems;
        }"""
    )
    return [f"{where} (after a failed submit): {problem}" for problem in problems]


def submit_emptied(page, form_selector: str) -> bool:
    """Empty the form's fields and submit it, past the browser's own checks."""
    form = page.locator(form_selector).first
    if not form.count():
        return False
    with page.expect_navigation():
        form.evaluate(
            """form => {
                form.noValidate = true;
                for (const field of form.elements) {
                    if (field.type === 'hidden' || field.type === 'submit') continue;
                    if (field.type === 'checkbox' || field.type === 'radio') field.checked = false;
                    else if (field.tagName === 'SELECT') field.selectedIndex = -1;
                    else field.value = '';
                }
                form.requestSubmit();
            }"""
        )
    return True


@pytest.fixture
def pages_to_visit(app, world):
    for module in AREA_MODULES:
        module.extend_world(world)
    visits = []
    with app.test_request_context():
        for case in CASES:
            if case.method != "GET" or case.endpoint not in PAGES:
                continue
            url = url_for(case.endpoint, **case.params(world))
            for role in ROLES:
                # The admin visits every page it reaches, the therapist's too: they carry
                # the admin's own menu and, on some, the admin's own buttons.
                if case.expected[role] == 200:
                    visits.append((role, case.endpoint, url))
    return visits


def session_cookie(app, world, role):
    user = user_for_role(world, role)
    if user is None:
        return None
    client = login_as(app.test_client(), user)
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


# One test per role and width: each can be run alone (-k "admin and phone"), and the eight
# spread over the test workers.
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ROLES)
def test_no_axe_violations_on_any_page(
    app, world, live_server, browser, pages_to_visit, role, width
):
    found: list[str] = []
    context = browser.new_context(
        locale="nl-NL",
        viewport=WIDTHS[width],
        is_mobile=width == "phone",
        has_touch=width == "phone",
        bypass_csp=True,  # axe is injected as a script of its own
        reduced_motion="reduce",  # no transitions: axe sees colours as they end up
    )
    cookie = session_cookie(app, world, role)
    if cookie:
        context.add_cookies(
            [{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server}]
        )
    context.add_init_script(script=AXE_SOURCE)
    page = context.new_page()
    menus_checked = False
    try:
        for visit_role, endpoint, url in pages_to_visit:
            if visit_role != role:
                continue
            where = f"{role} {width} {endpoint}"
            page.goto(live_server + url)
            assert page.url == live_server + url, f"{where}: sent on to {page.url}"
            if PAGES[endpoint].ready:
                page.locator(PAGES[endpoint].ready).first.wait_for()
            found += check_page(page, where)
            if not menus_checked:
                found += check_menus(page, where)
                menus_checked = True
            if PAGES[endpoint].submit and submit_emptied(page, PAGES[endpoint].form):
                found += error_wiring(page, where)
                found += check_page(page, f"{where} (after a failed submit)")
    finally:
        context.close()
    assert not found, "\n".join([f"{len(found)} accessibility violations:", *found])


def open_api_operations(page) -> None:
    """Swagger UI used as a developer uses it: the first operation opened, "Try it out"
    pressed and the request executed (anonymous: the API's 401 shown with its curl command),
    a POST tried out (its body's editor), and a schema opened in the list of schemas."""
    page.locator("#swagger-ui .opblock").first.wait_for()
    page.locator("#swagger-ui .opblock-summary-control").first.click()
    page.locator("#swagger-ui .opblock.is-open .try-out__btn").first.click()
    page.locator("#swagger-ui .opblock.is-open .execute").first.click()
    page.locator("#swagger-ui .opblock.is-open .live-responses-table").first.wait_for()
    # A POST as well: its request body's editor, and a response's schema tab.
    post = page.locator("#swagger-ui .opblock-post").first
    post.locator(".opblock-summary-control").click()
    post.locator(".try-out__btn").click()
    post.locator(".body-param textarea").wait_for()
    post.locator(".responses-wrapper .tablinks[data-name=model]").first.click()
    models = page.locator("#swagger-ui .models-control")
    if models.count() and models.get_attribute("aria-expanded") == "false":
        models.click()
    model = page.locator("#swagger-ui .models .model-box-control").first
    if model.count():
        model.click()
        page.locator("#swagger-ui .models .model-box .model").first.wait_for()
    page.mouse.move(0, 0)  # no hover left on the last button pressed


@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations_on_api_docs_opened(live_server, browser, width):
    """The API documentation (Swagger UI) with an operation tried out, a schema open and the
    Authorize dialog open, beyond the page as it loads (which the walk over every page checks)."""
    context = browser.new_context(
        locale="nl-NL",
        viewport=WIDTHS[width],
        is_mobile=width == "phone",
        has_touch=width == "phone",
        bypass_csp=True,
        reduced_motion="reduce",
    )
    context.add_init_script(script=AXE_SOURCE)
    page = context.new_page()
    where = f"anonymous {width} api_docs.docs_page"
    try:
        page.goto(live_server + "/api/v1/docs")
        open_api_operations(page)
        found = check_page(page, f"{where} (operation tried out)")
        page.locator("#swagger-ui .btn.authorize").click()
        page.locator("#swagger-ui .dialog-ux .modal-ux").wait_for()
        found += violations(page, f"{where} (Authorize dialog)")
    finally:
        context.close()
    assert not found, "\n".join([f"{len(found)} accessibility violations:", *found])
