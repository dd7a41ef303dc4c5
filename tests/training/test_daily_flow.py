"""The patient's daily flow without a browser: the one-tap form, what the pain model says after
saving, the morning check-in and its safety net, the week in a sentence, sending offline."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from rehab.extensions import db
from rehab.progress.pain import Light, PainLimits
from rehab.training.feedback import first_light
from rehab.training.models import Alert, CheckIn, TrainingSession
from rehab.training.session_form import date_choices, estimated_minutes, exercise_seconds
from tests.training.factories import check_in, log_session, make_plan, session_form, today


@pytest.fixture
def plan(world):
    plan = make_plan(world.patient)
    db.session.commit()
    return plan


def stored() -> list[TrainingSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(TrainingSession)))


# --- the estimate of a session's minutes --------------------------------------------------------


def rx(**values):
    base = {"sets": 3, "dosage_type": "reps", "reps_min": 8, "hold_seconds": None,
            "duration_seconds": None, "distance_m": None, "rest_seconds": 60, "sides": "both",
            "tempo": None}  # fmt: skip
    return SimpleNamespace(**{**base, **values})


def test_the_minutes_of_a_session_as_prescribed_known_answers():
    # Squat 3 × 8 at 4 s a repetition, 60 s rests: 3 × 32 + 2 × 60 + 30 set-up = 246 s.
    assert exercise_seconds(rx()) == 246
    # A tempo of 3-1-1 is 5 s a repetition: 3 × 40 + 120 + 30 = 270 s.
    assert exercise_seconds(rx(tempo="3-1-1")) == 270
    # Side plank each side, 3 sets of 3 holds of 20 s with 5 s between holds, 30 s rests:
    # 6 × 3 × 25 + 5 × 30 + 30 = 630 s.
    plank = rx(dosage_type="hold", reps_min=3, hold_seconds=20, rest_seconds=30, sides="each")
    assert exercise_seconds(plank) == 630
    # A 20-minute walk: 1200 s + 30 s; 2 km at 1.4 m/s: 1428 s + 30 s.
    assert exercise_seconds(rx(sets=1, dosage_type="time", duration_seconds=1200)) == 1230
    assert exercise_seconds(rx(sets=1, dosage_type="distance", distance_m=2000)) == 1458
    # Together 246 + 630 + 1230 = 2106 s: 35.1 minutes, rounded up to 36.
    walk = rx(sets=1, dosage_type="time", duration_seconds=1200)
    assert estimated_minutes([rx(), plank, walk]) == 36


@given(
    st.lists(
        st.builds(
            rx,
            sets=st.integers(1, 20),
            reps_min=st.integers(1, 100),
            rest_seconds=st.one_of(st.none(), st.integers(0, 900)),
            sides=st.sampled_from(["both", "each", "left"]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_the_estimate_is_always_a_duration_the_form_accepts(prescriptions):
    assert 1 <= estimated_minutes(prescriptions) <= 600


def test_the_day_is_chosen_from_today_and_the_seven_days_before(app):
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        choices = date_choices(dt.date(2026, 12, 6))
    assert (choices[0][0], choices[-1][0]) == ("2026-12-06", "2026-11-29")
    assert choices[0][1] == "Vandaag (zondag 6 december)"
    assert choices[1][1] == "Gisteren (zaterdag 5 december)"
    assert len(choices) == 8


# --- the one-tap form -------------------------------------------------------------------------


def test_the_today_form_comes_ticked_as_prescribed_with_the_estimate(client_for, plan):
    html = client_for("patient").get("/training/today").text
    assert len(re.findall(r"<input checked [^>]*data-as-prescribed", html)) == 3
    # No rest prescribed, so 30 s between sets: 3 × 8 squats (96 + 60 + 30 = 186 s), 3 × 3
    # holds of 20 s (225 + 60 + 30 = 315 s), a 20-minute walk (1230 s): 1731 s, 29 minutes.
    assert re.search(r'id="duration_minutes"[^>]* value="29"', html)
    assert "Alles gedaan zoals voorgeschreven" in html
    # The CR-10 scale with its words; 6, 8 and 9 have none (domain.md §10).
    anchor = '{}</span><span class="effort-word">{}'
    for n, word in ((0, "Rust"), (3, "Matig"), (7, "Erg zwaar"), (10, "Maximaal"), (6, "")):
        assert anchor.format(n, word + "</span>") in html
    assert "0 = geen pijn" in html and "10 = ergst denkbare pijn" in html
    assert html.index('id="session_date"') < html.index("Alles gedaan zoals voorgeschreven")


def test_all_done_with_one_pain_for_the_session_logs_every_exercise_at_its_dose(client_for, plan):
    data = session_form(
        plan,
        {name: {"as_prescribed": "y"} for name in ("squat", "plank", "walk")},
        pain_during=3,
        session_rpe=4,
    )
    response = client_for("patient").post("/training/today", data=data)
    assert response.status_code == 302
    (session,) = stored()
    logs = {log.prescription_id: log for log in session.exercises}
    assert {log.pain_during for log in logs.values()} == {3}
    assert logs[plan["squat"].id].effort == Decimal(7)  # the target, as prescribed


def test_pain_during_is_asked_unless_each_exercise_has_its_own(client_for, plan):
    data = session_form(plan, {"squat": {"as_prescribed": "y"}}, pain_during="")
    response = client_for("patient").post("/training/today", data=data)
    assert response.status_code == 200
    assert "Kies hoeveel pijn je had tijdens de oefeningen (0 = geen pijn)." in response.text
    assert stored() == []
    data = session_form(plan, {"squat": {"as_prescribed": "y", "pain_during": "1"}}, pain_during="")
    assert client_for("patient").post("/training/today", data=data).status_code == 302


def test_a_number_changed_under_the_tick_is_logged_as_entered(client_for, plan):
    # Without JavaScript nothing unticks "as prescribed": the number the patient typed wins.
    fields = {"as_prescribed": "y", "sets": "3", "reps": "12", "load_kg": "20"}
    data = session_form(plan, {"squat": fields})
    assert client_for("patient").post("/training/today", data=data).status_code == 302
    (log,) = stored()[0].exercises
    assert (log.sets_done, log.reps_done, log.load_kg) == (3, 12, Decimal(20))


def test_too_hard_keeps_the_target_effort_from_being_claimed(client_for, plan):
    data = session_form(
        plan,
        {"squat": {"as_prescribed": "y", "feel": "too_hard"},
         "plank": {"as_prescribed": "y", "feel": "too_easy"}},
    )  # fmt: skip
    assert client_for("patient").post("/training/today", data=data).status_code == 302
    logs = {log.prescription_id: log for log in stored()[0].exercises}
    assert logs[plan["squat"].id].feel == "too_hard" and logs[plan["squat"].id].effort is None
    assert logs[plan["plank"].id].feel == "too_easy"
    assert logs[plan["plank"].id].effort == Decimal(7)


def test_a_feel_outside_the_list_is_refused(client_for, plan):
    data = session_form(plan, {"squat": {"as_prescribed": "y", "feel": "awful"}})
    response = client_for("patient").post("/training/today", data=data)
    assert response.status_code == 200
    assert "Kies te zwaar, te licht of goed te doen." in response.text
    assert stored() == []


# --- sending a session kept offline ----------------------------------------------------------


def test_the_phone_gets_a_fresh_token_and_whose_log_in_it_is(client_for, plan, world):
    answer = client_for("patient").get("/training/offline-state")
    assert answer.headers["Cache-Control"] == "no-store"
    other = client_for("other_patient").get("/training/offline-state").json
    assert answer.json["csrf_token"] and answer.json["owner"] != other["owner"]
    page = client_for("patient").get("/training/today")
    assert f'data-owner="{answer.json["owner"]}"' in page.text
    assert page.headers["X-Rehab-Owner"] == answer.json["owner"]
    assert page.headers["X-Rehab-Offline"] == "today"


def test_a_kept_session_sent_twice_is_stored_once_and_answered_in_json(client_for, plan):
    client = client_for("patient")
    data = session_form(plan, {"squat": {"as_prescribed": "y"}}, key=secrets.token_urlsafe(24))
    first = client.post("/training/today", data=data, headers={"Accept": "application/json"})
    again = client.post("/training/today", data=data, headers={"Accept": "application/json"})
    assert first.json["status"] == again.json["status"] == "saved"
    assert (first.json["created"], again.json["created"]) == (True, False)
    assert first.json["url"] == again.json["url"]
    assert len(stored()) == 1


def test_a_kept_session_the_server_refuses_says_why(client_for, plan):
    old = today() - dt.timedelta(days=9)  # a phone offline for nine days
    data = session_form(plan, {"squat": {"as_prescribed": "y"}}, day=old)
    response = client_for("patient").post(
        "/training/today", data=data, headers={"Accept": "application/json"}
    )
    assert response.status_code == 422
    assert response.json["status"] == "refused"
    assert any("7 dagen terug" in message for message in response.json["errors"])
    assert stored() == []


# --- what the pain model says after saving -------------------------------------------------------

LIMITS = PainLimits(safe_max=3, amber_max=5)


@pytest.mark.parametrize(
    ("during", "after", "morning", "baseline", "light"),
    [
        (2, None, None, None, Light.GREEN),  # safe; the morning will complete it
        (3, 5, None, None, Light.GREEN),  # afterwards may reach 5
        (4, None, None, None, Light.AMBER),
        (5, 2, None, None, Light.AMBER),
        (6, None, None, None, Light.RED),  # above 5 during
        (2, 6, None, None, Light.RED),  # above 5 afterwards (domain.md §3)
        (2, 1, 4, 2, Light.RED),  # next morning above the baseline of 2
        (2, 1, 2, 2, Light.GREEN),
        (None, None, None, None, Light.UNKNOWN),
    ],
)
def test_the_first_light_known_answers(during, after, morning, baseline, light):
    assert first_light(during, after, morning, baseline, LIMITS) is light


@given(st.integers(0, 10), st.one_of(st.none(), st.integers(0, 10)))
def test_more_pain_never_makes_the_light_greener(during, after):
    order = [Light.GREEN, Light.AMBER, Light.RED]
    here = order.index(first_light(during, after, None, None, LIMITS))
    if during < 10:
        assert order.index(first_light(during + 1, after, None, None, LIMITS)) >= here


def test_green_amber_and_red_in_the_patients_words(client_for, plan, world):
    client = client_for("patient")
    words = {
        2: "Deze hoeveelheid past bij je: ga zo door.",
        4: "Doe volgende keer dezelfde hoeveelheid.",
        6: "Dit was te veel.",
    }
    for pain, sentence in words.items():
        data = session_form(plan, {"squat": {"as_prescribed": "y"}}, pain_during=pain)
        page = client.get(client.post("/training/today", data=data).headers["Location"]).text
        assert sentence in page
        assert "Morgenochtend" in page or "morgenochtend" in page


def test_a_red_session_names_the_step_down_and_the_therapist_is_told(client_for, plan):
    data = session_form(plan, {"squat": {"as_prescribed": "y"}}, pain_during=7)
    client = client_for("patient")
    page = client.get(client.post("/training/today", data=data).headers["Location"]).text
    # 20 kg cut by 15 % to the nearest 2 kg step: 18 kg.
    assert "Goblet squat: doe minder, 3 × 8–12 herhalingen, 18 kg" in page
    assert "Je therapeut is op de hoogte gebracht." in page
    assert db.session.scalar(select(func.count(Alert.id)).where(Alert.kind == "pain_red")) == 1
    assert "Je vorige sessie was te veel. Doe deze keer:" in client.get("/training/today").text


def test_an_older_session_is_not_advice_for_next_time(client_for, plan, world):
    squat = (plan["squat"], {"sets_done": 3, "reps_done": 8, "pain_during": 7})
    session = log_session(world.patient, today() - dt.timedelta(days=3), exercises=[squat])
    db.session.commit()
    page = client_for("patient").get(f"/training/sessions/{session.id}").text
    assert "Dit was te veel." in page
    assert "Doe volgende keer dit:" not in page


# --- the morning check-in and its safety net ---------------------------------------------------


def test_the_check_in_is_offered_the_morning_after_a_session(client_for, plan, world):
    client = client_for("patient")
    offer = "Goedemorgen! Hoe heeft je lichaam de sessie van gisteren verwerkt?"
    assert offer not in client.get("/training/today").text  # no session yesterday
    log_session(world.patient, today() - dt.timedelta(days=1))
    db.session.commit()
    html = client.get("/training/today").text
    assert offer in html
    assert html.index(offer) < html.index('id="session_date"')  # first thing on the page
    check_in(world.patient, today())
    db.session.commit()
    assert offer not in client.get("/training/today").text


def checkin_form(**fields) -> dict:
    data = {"check_date": today().isoformat(), "morning_pain": "2", "stiffness_minutes": "10",
            "sleep_quality": "good", "worse_than_yesterday": "no"}  # fmt: skip
    data.update(fields)
    return data


def test_a_warning_sign_shows_the_safety_net_with_the_clinics_phone(client_for, plan, world):
    world.clinic.phone = "020 123 45 67"
    db.session.commit()
    client = client_for("patient")
    response = client.post("/training/check-in", data=checkin_form(bladder_bowel="y"))
    page = client.get(response.headers["Location"]).text
    assert "Je gaf een waarschuwingssignaal aan" in page
    assert "bel nu je huisarts" in page
    assert 'href="tel:0201234567"' in page and "020 123 45 67" in page
    assert "Je gaf een waarschuwingssignaal aan" in client.get("/training/today").text
    row = db.session.scalar(select(CheckIn))
    assert row.warning_signs == ["bladder_bowel"]
    alert = db.session.scalar(select(Alert).where(Alert.kind == "warning_signs"))
    assert alert.severity == "alert" and alert.check_in_id == row.id
    assert alert.evidence["reasons"][0]["code"] == "warning_bladder_bowel"


def test_long_morning_stiffness_shows_the_safety_net_without_urgency(client_for, plan, world):
    client = client_for("patient")
    client.post("/training/check-in", data=checkin_form(stiffness_minutes="45"))
    page = client.get("/training/check-in").text
    assert "Vanochtend 45 minuten stijf" in page
    assert "bel nu je huisarts" not in page
    assert "Bel Fysio Noord op het nummer op je afsprakenkaart." in page  # no phone set


def test_no_warning_sign_no_safety_net(client_for, plan):
    client = client_for("patient")
    client.post("/training/check-in", data=checkin_form())
    assert "waarschuwingssignaal" not in client.get("/training/check-in").text
    assert db.session.scalar(select(func.count(Alert.id)).where(Alert.kind == "warning_signs")) == 0


# --- the week in a sentence ----------------------------------------------------------------------


def test_the_history_says_the_week_in_a_sentence_above_its_charts(client_for, plan, world):
    monday = today() - dt.timedelta(days=today().weekday())
    days = [monday + dt.timedelta(days=n) for n in range(0, (today() - monday).days + 1, 2)]
    for n, day in enumerate(days[:3]):
        log_session(world.patient, day, exercises=[(plan["squat"], {"sets_done": 3,
                    "reps_done": 8, "pain_during": 2 + n % 2})])  # fmt: skip
    db.session.commit()
    html = client_for("patient").get("/training/history").text
    done = len(days[:3])
    pains = sorted({2 + n % 2 for n in range(done)})
    pain = f"{pains[0]}–{pains[-1]}" if len(pains) > 1 else f"{pains[0]}"
    sentence = (
        f"Deze week {done} van 3 sessies; de pijn tijdens de oefeningen bleef op {pain} op 10."
    )
    assert sentence in " ".join(html.split())
    assert html.index("data-week-summary") < html.index('class="chart')


def test_clinic_settings_keep_the_phone_number(client_for, world):
    from tests.auth.test_clinic_settings import VALID  # the form as the page posts it

    client = client_for("admin")
    response = client.post("/admin/clinic", data={**VALID, "phone": " 020  123 45 67"})
    assert response.status_code == 302
    db.session.refresh(world.clinic)
    assert world.clinic.phone == "020 123 45 67"
    response = client.post("/admin/clinic", data={**VALID, "phone": "call me"})
    assert "Vul een telefoonnummer in" in response.text
    db.session.refresh(world.clinic)
    assert world.clinic.phone == "020 123 45 67"


def test_the_exercise_logs_constraint_refuses_an_unknown_feel(plan, world):
    from sqlalchemy.exc import IntegrityError

    session = log_session(world.patient, today(), exercises=[(plan["squat"], {"sets_done": 1})])
    (log,) = session.exercises
    log.feel = "fine"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
