"""The analysis page, the comparison and the patient's own view: what each shows, who may
see it, what the access log keeps, and a query count that does not grow with the data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from flask import url_for

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.patients.measures import RATIOS
from rehab.patients.models import MovementAnalysis
from tests.factories import clinic_today, make_user
from tests.patients.factories import analysis_form, make_analysis


def weeks_ago() -> dt.date:
    return clinic_today() - dt.timedelta(weeks=5)


@pytest.fixture
def intake(world):
    analysis = make_analysis(
        world.patient,
        recorded_on=weeks_ago(),
        nprs=6,
        modified_schober=3,
        five_times_sit_to_stand=14,
        mcgill_flexor=120,
        biering_sorensen=100,
        side_bridge_left=40,
        side_bridge_right=60,
        hip_extension_left=-5,
        hip_extension_right=10,
        straight_leg_raise_left=45,
        slr_symptoms_left="below_knee",
        tsk17=45,
        activities=[("Hardlopen", 8), ("Tillen", 7), ("Zitten", 6)],
        instrument="psk",
        extra_tests=[{"name": "Handknijpkracht", "unit": "kg", "value": 22,
                      "reference_low": 30, "reference_high": 50}],
        private_notes="Lijkt gespannen over werk; bespreken met huisarts.",
        findings="Bewegingsangst bij bukken.",
    )  # fmt: skip
    db.session.commit()
    return analysis


def _english(world, user):
    user.locale = "en"
    db.session.commit()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_analysis_page_shows_references_derived_values_and_marks_what_is_out_of_range(
    client_for, world, intake
):
    _english(world, world.therapist)
    html = client_for("therapist").get(f"/patients/{world.patient.id}/analyses/{intake.id}").text
    text = _text(html)
    # Reference values next to the values, and a text marker besides the highlight.
    assert "Normal 5 cm or more; smallest detectable change 1.8 cm" in text
    assert "Outside reference: Below the normal 5 cm" in text
    assert "Outside reference: Slower than the upper limit of normal (12.4 s)" in text
    assert "Left positive: leg pain below the knee between 30° and 70°" in text
    assert "High fear of movement (above 37)" in text
    assert "Outside the clinic's range" in text  # grip 22 kg below 30–50
    assert html.count('class="out-of-range"') >= 6
    # Derived: McGill ratios, asymmetry per sided measure, the PSK mean.
    assert "Flexor/extensor endurance ratio" in text and "1.20" in text
    assert "Right/left side bridge ratio" in text and "1.50" in text
    assert "Asymmetry: 33.3 %" in text  # side bridge 40 vs 60
    assert "Asymmetry: –" in text  # hip extension with a negative angle: not meaningful
    assert "Mean (higher = more difficulty) 7" in text
    assert "Lijkt gespannen" in text  # staff see the private notes


def test_red_flags_put_a_warning_on_top(client_for, world):
    analysis = make_analysis(world.patient, red_flag_cauda_equina=True, nprs=5)
    db.session.commit()
    _english(world, world.therapist)
    html = client_for("therapist").get(f"/patients/{world.patient.id}/analyses/{analysis.id}").text
    main = html[html.index("<main") :]
    warning = main.index("Red flags: contact the GP or referrer")
    assert warning < main.index("<h1")
    assert "Cauda equina" in main
    detail = client_for("therapist").get(f"/patients/{world.patient.id}").text
    assert "The latest analysis has red flags ticked" in detail


def test_profile_hint_when_start_back_and_profile_differ(client_for, world):
    analysis = make_analysis(world.patient, start_back_group="high", treatment_profile=1)
    agreeing = make_analysis(world.patient, start_back_group="medium", treatment_profile=2)
    db.session.commit()
    _english(world, world.therapist)
    client = client_for("therapist")
    base = f"/patients/{world.patient.id}/analyses"
    assert "point different ways" in client.get(f"{base}/{analysis.id}").text
    assert "point different ways" not in client.get(f"{base}/{agreeing.id}").text


def test_morning_stiffness_above_the_clinic_threshold_asks_for_review(client_for, world):
    world.clinic.stiffness_review_minutes = 30
    analysis = make_analysis(world.patient, morning_stiffness_minutes=45)
    db.session.commit()
    _english(world, world.therapist)
    html = client_for("therapist").get(f"/patients/{world.patient.id}/analyses/{analysis.id}").text
    assert "above the clinic's review threshold" in html


def test_comparison_judges_each_measure_in_its_own_direction(client_for, world, intake):
    later = make_analysis(
        world.patient,
        kind="reassessment",
        nprs=5,  # −1: improved, but short of the MCID (2 points or 30 %)
        modified_schober=5,  # +2 cm: beyond the SDC of 1.8 cm
        five_times_sit_to_stand=16,  # slower: worse, no MCID known
        tsk17=40,
        activities=[("Hardlopen", 4), ("Tillen", 7), ("Zitten", 3)],
        instrument="psk",
        extra_tests=[{"name": "handknijpkracht", "unit": "kg", "value": 28}],
    )
    db.session.commit()
    _english(world, world.therapist)
    html = client_for("therapist").get(f"/patients/{world.patient.id}/analyses/compare").text

    def row(measure):
        found = re.search(rf'data-measure="{measure}">(.*?)</tr>', html, re.S)
        return _text(found.group(1))

    assert "6 5 -1 ▲ Improved No MCID 2 points or 30 %" in row("nprs")
    assert "3 5 +2 ▲ Improved Yes SDC 1.8 cm" in row("modified_schober")
    assert "14 16 +2 ▼ Worsened none known" in row("five_times_sit_to_stand")
    assert "▲ Improved" in row("psk")  # 7 → 4.67: lower PSK is better
    assert "Yes" in row("psk")
    text = _text(html)
    assert "Hardlopen 8 4 -4 ▲ Improved" in text
    assert "handknijpkracht (kg) 22 28 +6" in text  # matched by name, any case
    # Any two analyses may be chosen; the order is as chosen.
    html = (
        client_for("therapist")
        .get(
            f"/patients/{world.patient.id}/analyses/compare",
            query_string={"before": later.id, "after": intake.id},
        )
        .text
    )
    assert "recorded later than" in html


def test_comparison_with_one_analysis_explains_what_is_needed(client_for, world, intake):
    _english(world, world.therapist)
    html = client_for("therapist").get(f"/patients/{world.patient.id}/analyses/compare").text
    assert "Record at least two analyses" in html


def test_comparison_refuses_another_patients_analysis(client_for, world, intake):
    foreign = make_analysis(world.foreign_patient, nprs=2)
    other = make_analysis(world.other_patient, nprs=2)
    db.session.commit()
    client = client_for("therapist")
    url = f"/patients/{world.patient.id}/analyses/compare"
    for analysis in (foreign, other):
        response = client.get(url, query_string={"before": intake.id, "after": analysis.id})
        assert response.status_code == 404


# --- the patient's own view -----------------------------------------------------------------


def test_patient_sees_own_analyses_read_only_without_private_notes(client_for, world, intake):
    world.patient.user.locale = "en"
    db.session.commit()
    client = client_for("patient")
    listing = client.get("/patients/me/analyses").text
    assert f"/patients/me/analyses/{intake.id}" in listing
    html = client.get(f"/patients/me/analyses/{intake.id}").text
    assert "Bewegingsangst bij bukken." in html  # findings are theirs to read
    assert "Lijkt gespannen" not in html
    assert "Private notes" not in html
    assert "/edit" not in html and '<form method="post" novalidate' not in html
    assert "Outside reference" in html


def test_patient_view_speaks_the_patients_language(client_for, world, intake):
    client = client_for("patient")  # the world's patients are Dutch
    html = client.get(f"/patients/me/analyses/{intake.id}").text
    assert '<html lang="nl">' in html
    assert "Mijn metingen" in html


def test_patient_cannot_open_another_patients_analysis(client_for, world, intake):
    assert client_for("other_patient").get(f"/patients/me/analyses/{intake.id}").status_code == 404
    assert (
        client_for("patient").get(f"/patients/{world.patient.id}/analyses/{intake.id}").status_code
        == 403
    )


# --- another clinic sees nothing ------------------------------------------------------------


def _patient_urls(app, world, analysis) -> list[tuple[str, str]]:
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "patient_id" not in rule.arguments:
                continue
            values = {"patient_id": world.patient.id}
            for argument in rule.arguments - {"patient_id"}:
                # Another clinic must get 404 whatever the other id is.
                values[argument] = analysis.id if argument == "analysis_id" else 1
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                urls.append((method, url_for(rule.endpoint, **values)))
    return urls


@pytest.mark.parametrize("role", ["other_therapist", "other_admin"])
def test_another_clinic_gets_404_for_every_url_of_this_patient(app, world, client_for, intake,
                                                               role):  # fmt: skip
    from tests.factories import login_as

    if role == "other_admin":
        client = login_as(app.test_client(), make_user(world.other_clinic, "admin"))
    else:
        client = client_for(role)
    urls = _patient_urls(app, world, intake)
    assert len(urls) >= 14
    not_found = 0
    for method, url in urls:
        response = client.open(url, method=method, data=analysis_form())
        if response.status_code == 404:
            not_found += 1
            continue
        # Refused before any record is looked at: the role itself (the patient's own app in
        # the API) or a body that is not the API's JSON. A patient who does not exist gets
        # the same answer: nothing to learn about this one.
        nobody = url.replace(f"/patients/{world.patient.id}/", "/patients/999999/", 1)
        assert response.status_code in (403, 422), (method, url, response.status_code)
        again = client.open(nobody, method=method, data=analysis_form())
        assert again.status_code == response.status_code, (method, url)
    assert not_found >= 14
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "access_denied", AuditEntry.patient_id == world.patient.id
    )) >= not_found  # fmt: skip


# --- the access log -------------------------------------------------------------------------


def _entries(patient_id, object_type):
    return db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.patient_id == patient_id, AuditEntry.object_type == object_type)
        .order_by(AuditEntry.id)
    ).all()


def test_viewing_creating_and_changing_an_analysis_is_logged(client_for, world):
    client = client_for("therapist")
    base = f"/patients/{world.patient.id}/analyses"
    client.post(f"{base}/new", data=analysis_form(nprs=6))
    analysis_id = _entries(world.patient.id, "movement_analysis")[0].object_id
    client.get(f"{base}/{analysis_id}")
    client.post(f"{base}/{analysis_id}/edit", data=analysis_form(nprs=4, plan="Big-3"))
    client_for("patient").get(f"/patients/me/analyses/{analysis_id}")
    entries = _entries(world.patient.id, "movement_analysis")
    actions = [(e.action, e.actor_id) for e in entries]
    assert ("create", world.therapist.id) in actions
    assert ("view", world.therapist.id) in actions
    assert ("update", world.therapist.id) in actions
    assert ("view", world.patient.user_id) in actions
    update = next(e for e in entries if e.action == "update")
    assert update.summary_code == "analysis_changed"
    assert {"nprs", "plan"} <= set(update.summary_values["fields"])
    assert "Big-3" not in str(update.summary_values)  # names of fields, never their content


# --- query budgets --------------------------------------------------------------------------


def _add_analyses(world, n, tests_each=0):
    for i in range(n):
        make_analysis(
            world.patient,
            kind="reassessment",
            recorded_on=weeks_ago() + dt.timedelta(days=i % 30),
            nprs=i % 10,
            side_bridge_left=30 + i,
            side_bridge_right=35 + i,
            activities=[("Lopen", 5), ("Tillen", 6), ("Zitten", i % 10)],
            instrument="psfs",
            extra_tests=[
                {"name": f"Test {t}", "unit": "s", "value": t, "reference_low": 0,
                 "reference_high": 10}
                for t in range(tests_each)
            ],
            red_flag_night_pain=bool(i % 2),
        )  # fmt: skip
    db.session.commit()


@pytest.mark.parametrize(
    "page",
    [
        lambda w, first, last: f"/patients/{w.patient.id}/analyses/{last}",
        lambda w, first, last: f"/patients/{w.patient.id}/analyses/{last}/edit",
        lambda w, first, last: f"/patients/{w.patient.id}/analyses/compare",
        lambda w, first, last: f"/patients/{w.patient.id}/analyses",
        lambda w, first, last: f"/patients/{w.patient.id}",
    ],
    ids=["analysis", "edit", "compare", "list", "patient page"],
)
def test_pages_run_a_fixed_number_of_queries(client_for, world, count_queries, page):
    client = client_for("therapist")
    _add_analyses(world, 2, tests_each=1)

    def ids():
        rows = db.session.scalars(sa.select(MovementAnalysis.id).order_by(MovementAnalysis.id))
        rows = rows.all()
        return rows[0], rows[-1]

    url = page(world, *ids())
    client.get(url)  # warm-up: templates compile on first use
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _add_analyses(world, 18, tests_each=25)
    url = page(world, *ids())
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count, (few.statements, many.statements)
    assert few.count <= 16  # 14, and 2 more for the appointments and reminders panel


def test_patient_pages_run_a_fixed_number_of_queries(client_for, world, count_queries):
    client = client_for("patient")
    _add_analyses(world, 2, tests_each=1)
    last = db.session.scalar(sa.select(sa.func.max(MovementAnalysis.id)))
    client.get(f"/patients/me/analyses/{last}")
    counts = []
    for extra in (0, 18):
        _add_analyses(world, extra, tests_each=25)
        last = db.session.scalar(sa.select(sa.func.max(MovementAnalysis.id)))
        for url in ("/patients/me/analyses", f"/patients/me/analyses/{last}"):
            with count_queries() as counted:
                assert client.get(url).status_code == 200
            counts.append(counted.count)
    assert counts[:2] == counts[2:]


def test_ratio_names_are_the_catalogues(world):
    assert set(RATIOS) == {
        "flexor_extensor_ratio",
        "side_bridge_balance",
        "side_bridge_extensor_ratio",
        "side_bridge_asymmetry",  # issue 14: judged in %, whichever side is stronger
    }
