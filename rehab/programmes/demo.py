"""Demo programmes: active programmes from the built-in templates for the demo patients.

Runs after the exercise library's demo seeder, which loads the built-in exercises. Sanne
(recurrent low back pain) started five weeks ago and is in phase 2; Tom and Daan (low back)
and Emma (knee, running) are in phase 1; Lotte has a draft. The clinic also gets one
template of its own.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rehab.exercises.services import load_library
from rehab.extensions import db
from rehab.programmes import builtin, services, templates
from rehab.programmes.dosing import change_dose
from rehab.programmes.library import exercises_by_slug
from rehab.programmes.models import PhaseChange, PrescriptionVersion, Programme


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=dt.UTC)


def _start(programme: Programme, therapist, started: dt.date, phase_number: int, today) -> None:
    """Backdate an activation: phase 1 from ``started``, then on to ``phase_number``."""
    phases = sorted(programme.phases, key=lambda p: p.position)
    programme.status = "active"
    programme.started_on = started
    programme.created_at = _at(started - dt.timedelta(days=1))
    day = started
    previous = None
    for phase in phases[:phase_number]:
        phase.started_on = day
        db.session.add(
            PhaseChange(
                programme_id=programme.id,
                from_phase_id=previous.id if previous else None,
                to_phase_id=phase.id,
                changed_by_id=therapist.id,
                changed_at=_at(day),
                note=None if previous is None else _ADVANCE_NOTE,
                note_code="programme_started" if previous is None else None,
            )
        )
        if previous is not None:
            previous.ended_on = day
        previous = phase
        day = day + dt.timedelta(weeks=phase.planned_weeks or 2)
    programme.current_phase_id = previous.id
    for phase in phases:
        for prescription in phase.prescriptions:
            prescription.dose_since = phase.started_on or started
    for version in db.session.scalars(
        select(PrescriptionVersion).where(
            PrescriptionVersion.prescription_id.in_(
                [rx.id for phase in phases for rx in phase.prescriptions]
            )
        )
    ):
        version.changed_at = _at(started - dt.timedelta(days=1))


_ADVANCE_NOTE = (
    "Geen rode vlaggen, ochtendpijn 6 van 7 dagen op baseline; uitleg over rugpijn begrepen."
)


def seed(demo) -> None:
    slugs = {slug for t in builtin.builtin_templates().values() for slug in t.slugs}
    if len(exercises_by_slug(slugs)) < len(slugs):
        load_library(commit=False)  # the library's own seeder did not run first
    sanne, tom, emma, daan, lotte = demo.patients
    pieter, fatima = demo.therapists
    today = demo.today
    plans = [
        (sanne, pieter, "low-back-recurrent", 5, 2),
        (tom, pieter, "low-back-recurrent", 1, 1),
        (emma, pieter, "running-knee", 2, 1),
        (daan, fatima, "low-back-recurrent", 2, 1),
    ]
    for patient, therapist, slug, weeks_ago, phase_number in plans:
        programme = templates.create_programme(therapist, patient, source=f"builtin:{slug}")
        programme = services.load_tree(programme.id)
        _start(programme, therapist, today - dt.timedelta(weeks=weeks_ago), phase_number, today)
        if patient is sanne:
            _sanne_details(programme, pieter, today)
    templates.create_programme(fatima, lotte, source="builtin:core-stability")
    db.session.flush()
    sanne_programme = services.active_programme(sanne.id)
    templates.save_as_template(
        pieter,
        sanne_programme,
        title="Lage rug – standaard Fysio Demo",
        description="Ons eigen vertrekpunt voor terugkerende lage rugpijn. Pas de doseringen "
        "per patiënt aan.",
    )


def _sanne_details(programme: Programme, therapist, today: dt.date) -> None:
    first, second = sorted(programme.phases, key=lambda p: p.position)[:2]
    for criterion in first.criteria:
        if criterion.kind == "therapist_check":
            criterion.checked_at = _at(first.started_on + dt.timedelta(days=3))
            criterion.checked_by_id = therapist.id
    side_bridge = next(rx for rx in second.prescriptions if rx.rule_kind == "hold_progression")
    version = change_dose(
        side_bridge,
        {"hold_seconds": 8},
        actor=therapist,
        reason="Twee groene sessies, 6 s gehaald: +2 s volgens de regel.",
        today=today - dt.timedelta(days=6),
    )
    if version is not None:
        version.changed_at = _at(today - dt.timedelta(days=6))
    curl_up = next(rx for rx in second.prescriptions if rx.exercise.slug == "mcgill-curl-up")
    version = change_dose(
        curl_up,
        {"notes": "Begin met 4 keer; ga naar 6 als het goed gaat. Adem rustig door."},
        actor=therapist,
        reason="Uitleg toegevoegd na de controle.",
        today=today - dt.timedelta(days=3),
    )
    if version is not None:
        version.changed_at = _at(today - dt.timedelta(days=3))
    db.session.flush()
