"""A programme built from a template keeps both languages of what it took from it: after the
patient switches language, her Today page, handout and progress report show the template's
words in her new language, and the therapist's own note exactly as typed."""

from __future__ import annotations

import datetime as dt
import html
import re
import tomllib

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.programmes import builtin
from rehab.programmes.dosing import snapshot
from rehab.programmes.models import Phase, Prescription, Programme
from tests.programmes.factories import load_library
from tests.reports.pdf_inspect import pdf_text, render_pages
from tests.training.factories import today

TEMPLATE = "low-back-recurrent"
OWN_NOTE = "Neem je hond Bobbie mee; stop bij de bakker (Pieters eigen woorden)."
OWN_CONCLUSION = "Sanne wandelt weer elke dag; door naar fase 2 (Pieters conclusie)."


def _template_words(language: str) -> set[str]:
    """Every text of the low-back template in ``language`` that differs in the other one,
    with the names of its exercises."""
    other = "en" if language == "nl" else "nl"
    with (builtin.TEMPLATE_DIR / "low_back.toml").open("rb") as handle:
        data = tomllib.load(handle)
    values = [data["title"], data["description"]]
    for phase in data["phase"]:
        values += [phase["name"], phase["goal"]]
        values += [rx["notes"] for rx in phase["prescription"] if "notes" in rx]
        values += [c["label"] for c in phase.get("criterion", [])]
    words = {v[language] for v in values if v[language] != v[other]}
    slugs = builtin.builtin_template(TEMPLATE).slugs
    for exercise in db.session.scalars(select(Exercise).where(Exercise.slug.in_(slugs))):
        names = {"nl": exercise.name_nl, "en": exercise.name_en}
        if names["nl"] != names["en"]:
            words.add(names[language])
    return words


def _switch_language(client, patient, language: str) -> None:
    """The therapist changes the patient's language on her record."""
    from rehab.patients.services import update_patient

    data = {
        "email": patient.user.email if patient.user else patient.email,
        "preferred_language": language,
    }
    update_patient(patient.therapist, patient, data)
    db.session.commit()


def _build(therapist, patient) -> Programme:
    created = therapist.post(
        f"/programmes/patient/{patient.id}/new", data={"source": f"builtin:{TEMPLATE}"}
    )
    assert created.status_code == 302
    return db.session.scalar(select(Programme).where(Programme.patient_id == patient.id))


def _type_own_note(therapist, programme: Programme) -> None:
    """The therapist types her own note on the first exercise of phase 1 (the walk)."""
    walk = db.session.scalar(
        select(Prescription)
        .join(Phase)
        .where(Phase.programme_id == programme.id, Phase.position == 1, Prescription.position == 1)
    )
    data = {k: v for k, v in snapshot(walk).items() if v is not None and v is not False}
    data.pop("target_duration_seconds")
    data["duration_minutes"] = data.pop("duration_seconds") // 60
    data.update(
        version=programme.version,
        notes=OWN_NOTE,
        reason="Eigen tip",
        target_duration_minutes=walk.target_duration_seconds // 60,
    )
    response = therapist.post(f"/programmes/{programme.id}/prescriptions/{walk.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert walk.notes == OWN_NOTE
    assert walk.is_own_words("notes")


def _activate(therapist, programme_id: int) -> None:
    programme = db.session.get(Programme, programme_id)
    response = therapist.post(
        f"/programmes/{programme_id}/activate", data={"version": programme.version}
    )
    assert response.status_code == 302


def _patient_documents(client_for, patient) -> dict[str, str]:
    """The Today page, the handout the patient downloads and the progress report in her
    language, as the text a reader sees."""
    mine = client_for("patient")
    day = today()
    report = client_for("therapist").post(
        f"/reports/patients/{patient.id}/progress-report",
        data={
            "start": (day - dt.timedelta(days=7)).isoformat(),
            "end": day.isoformat(),
            "language": "patient",
            "conclusion": OWN_CONCLUSION,
        },
    )
    assert report.status_code == 200 and report.mimetype == "application/pdf"
    handout = mine.get("/reports/my/handout.pdf")
    assert handout.status_code == 200
    render_pages(handout.data, f"bilingual-handout-{patient.preferred_language}")
    return {
        "today": html.unescape(mine.get("/training/today").text),
        "programme": html.unescape(mine.get("/programmes/mine").text),
        "handout": pdf_text(handout.data),
        "report": pdf_text(report.data),
    }


@pytest.mark.parametrize("built_in, switched_to", [("nl", "en"), ("en", "nl")])
def test_the_programme_follows_the_patients_language_and_keeps_the_therapists_note(
    client_for, world, built_in, switched_to
):
    load_library()
    world.patient.preferred_language = built_in
    world.patient.user.locale = built_in
    db.session.commit()
    therapist = client_for("therapist")
    programme = _build(therapist, world.patient)
    assert programme.language == built_in
    _type_own_note(therapist, programme)
    _activate(therapist, programme.id)

    before = _patient_documents(client_for, world.patient)
    _switch_language(therapist, world.patient, switched_to)
    after = _patient_documents(client_for, world.patient)

    old_words, new_words = _template_words(built_in), _template_words(switched_to)
    for name, text in after.items():
        left = sorted(w for w in old_words if w in text)
        assert not left, f"{name} still shows {built_in} template text: {left[:5]}"
        assert _own_words(name) in _spaced(text), f"{name} lost the therapist's own words"
    for name, text in before.items():
        assert _own_words(name) in _spaced(text), name
        assert not [w for w in new_words if w in text and w not in old_words], name
    # On her pages the note is marked as her therapist's own words, in the page's language.
    marker = {"nl": "Van je therapeut: ", "en": "From your therapist: "}
    assert marker[built_in] + OWN_NOTE in _visible(before["programme"])
    assert marker[switched_to] + OWN_NOTE in _visible(after["programme"])
    assert marker[switched_to] + OWN_NOTE in _visible(after["today"])

    template = builtin.builtin_template(TEMPLATE)
    phase_name = builtin.text(template.phases[0]["name"], switched_to)
    title = template.title(switched_to)
    for name in ("handout", "report", "programme"):
        assert title in after[name], name
    for name in ("handout", "report", "programme"):
        assert phase_name in after[name], name


def _own_words(document: str) -> str:
    """The therapist's typed words each document shows: the report her conclusion, the
    others her note on the walk."""
    return OWN_CONCLUSION if document == "report" else OWN_NOTE


def _visible(page: str) -> str:
    """A page's text without its markup, white space made single."""
    return _spaced(re.sub(r"<[^>]+>", "", page))


def _spaced(text: str) -> str:
    return " ".join(text.split())


def test_a_typed_title_is_the_therapists_own_words_and_an_unchanged_one_stays_bilingual(
    client_for, world
):
    load_library()
    therapist = client_for("therapist")
    programme = _build(therapist, world.patient)
    phase = programme.phases[0]
    assert phase.shown("name", "en") == "Settle and understand"
    assert phase.shown("name", "nl") == "Tot rust komen en begrijpen"
    # Saved unchanged (in either language): still the template's words in both languages.
    phase.name = "Settle and understand"
    assert phase.shown("name", "nl") == "Tot rust komen en begrijpen"
    # Typed over: the therapist's words, the same in every language.
    phase.name = "Rustig opbouwen"
    assert phase.shown("name", "en") == "Rustig opbouwen"
    assert phase.is_own_words("name")
    db.session.rollback()


def test_a_templates_band_colour_is_worded_in_the_readers_language(client_for, world):
    from rehab.programmes.wording import dose_text
    from rehab.reports.dose_words import prescription_facts

    load_library()
    therapist = client_for("therapist")
    created = therapist.post(
        f"/programmes/patient/{world.patient.id}/new", data={"source": "builtin:core-stability"}
    )
    assert created.status_code == 302
    programme = db.session.scalar(select(Programme).where(Programme.patient_id == world.patient.id))
    banded = [rx for phase in programme.phases for rx in phase.prescriptions if rx.band_colour]
    assert banded and all(rx.band_colour in ("middel (rood)", "licht (geel)") for rx in banded)
    english = {dose_text(rx, "en") for rx in banded}
    assert any("medium (red)" in text for text in english), english
    assert not any("rood" in text or "geel" in text for text in english), english
    assert any("middel (rood)" in dose_text(rx, "nl") for rx in banded)
    with therapist.application.test_request_context(), force_locale("en"):
        assert {prescription_facts(rx).band for rx in banded} <= {"medium (red)", "light (yellow)"}


def test_a_clinic_template_saved_from_a_programme_passes_both_languages_on(client_for, world):
    from rehab.programmes import templates

    load_library()
    programme = _build(client_for("therapist"), world.patient)  # Dutch
    template = templates.save_as_template(
        world.therapist, programme, title="Rug – onze standaard", description=None
    )
    world.other_patient.preferred_language = "en"
    db.session.commit()
    copy = templates.create_programme(
        world.therapist, world.other_patient, source=f"clinic:{template.id}"
    )
    db.session.expire_all()
    copy = db.session.get(Programme, copy.id)
    assert copy.language == "en"
    assert [p.shown("name", "en") for p in copy.phases][:2] == [
        "Settle and understand",
        "Mobility and motor control",
    ]
    assert copy.phases[0].shown("name", "nl") == "Tot rust komen en begrijpen"
    # The template's typed title is the therapist's own words, in every language.
    assert copy.shown("title", "en") == copy.shown("title", "nl") == "Rug – onze standaard"
    assert copy.is_own_words("title")
