"""Printing the exercise card and the patient's programme handout: loading what they show,
putting it into the reader's language, rendering, and the access-log entry.

Two functions stand in for the programme builder's until it lands: ``active_programme`` and
``dose_text`` (switch each to ``rehab.programmes.services`` in one place).
"""

from __future__ import annotations

from base64 import b64encode
from dataclasses import dataclass, field

from babel.dates import get_day_names
from babel.lists import format_list
from flask import abort
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import raiseload, selectinload, undefer

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import User
from rehab.core.i18n import gettext, ngettext
from rehab.core.i18n import lazy_gettext as _l
from rehab.core.vocabulary import BODY_REGIONS, EQUIPMENT, EXERCISE_CATEGORIES
from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.figures.library import printed_stills
from rehab.patients.models import Patient
from rehab.programmes.models import Phase, Prescription, Programme
from rehab.progress.pain import DEFAULT_AFTER_MAX
from rehab.reports.dose_words import (
    dose_words,
    exercise_facts,
    prescription_facts,
    progression_cue,
    short_dose,
)
from rehab.reports.pdf import picture_uri, render_pdf

# The clinic's warning signs and advice from its patient information (domain.md §8).
WARNING_SIGNS = (
    _l("Less mobility when you bend or twist"),
    _l("A tired back after normal daily activities"),
    _l("Mild pain that comes and goes"),
    _l("Trouble finding a comfortable position to sleep"),
    _l("Tension in your pelvis or hips"),
    _l("A change in how you walk or stand"),
    _l("Sitting, lifting or moving differently to avoid discomfort"),
)
ADVICE = (
    _l("10 minutes of light mobility exercises every morning (hips, hamstrings, back)"),
    _l("Stand up and move after every 30 minutes of sitting"),
    _l("A core routine (planks, dead bugs, bird dogs) with breathing exercises"),
    _l("In sport: warm up and cool down, and build up the intensity gradually"),
    _l("At work: an adjustable chair, and regular breaks"),
    _l("Lift with your legs"),
    _l("A supportive mattress, and a pillow between your knees when you lie on your side"),
)


class NothingToPrint(Exception):
    """The document cannot be made (e.g. no active programme); ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PrintedExercise:
    """An exercise as printed, every text already in the reader's language."""

    name: str
    picture: str | None
    dose: str
    starting_position: str = ""
    execution: str = ""
    common_mistakes: str = ""
    feel: str = ""
    caution: str = ""
    meta: str = ""
    notes: str = ""
    next_step: str = ""
    short_dose: str = ""
    session_label: str = ""
    # The drawn figure (issue 16): start and end as data: URIs of the same SVG the page shows.
    figures: tuple[str, ...] = ()


# --- loaders ------------------------------------------------------------------------------


def visible_exercise(actor: User, exercise_id: int) -> Exercise:
    """A library exercise this clinic may see (built-in or its own), else 404."""
    exercise = db.session.get(Exercise, exercise_id, options=[undefer(Exercise.image_data)])
    if exercise is None or exercise.clinic_id not in (None, actor.clinic_id):
        abort(404)
    return exercise


def active_programme(patient_id: int) -> Programme | None:
    """The patient's active programme with its phases and their prescriptions, or None.

    Stand-in for ``rehab.programmes.services.active_programme``: switch when it lands.
    """
    return db.session.scalar(
        select(Programme)
        .where(Programme.patient_id == patient_id, Programme.status == "active")
        .options(selectinload(Programme.phases).selectinload(Phase.prescriptions))
    )


def dose_text(prescription: Prescription, language: str) -> str:
    """The prescription's dose in words in ``language``.

    Stand-in for ``rehab.programmes.services.dose_text``: switch when it lands.
    """
    with force_locale(language):
        return dose_words(prescription_facts(prescription))


# --- the exercise card --------------------------------------------------------------------


def figure_uris(exercise: Exercise) -> tuple[str, ...]:
    """The exercise's drawn start and end poses as data: URIs (none when it has no figure)."""
    stills = printed_stills(exercise.figure_key, exercise.figure_mirrored)
    return tuple("data:image/svg+xml;base64," + b64encode(svg.encode()).decode() for svg in stills)


def _exercise_texts(exercise: Exercise, language: str) -> dict[str, str]:
    return {
        name: exercise.text(name, language)
        for name in ("starting_position", "execution", "common_mistakes", "feel", "caution")
    }


def _exercise_meta(exercise: Exercise) -> str:
    """ "Motor control · Lower back · Mat" in the current locale."""
    parts = [str(EXERCISE_CATEGORIES.get(exercise.category, exercise.category))]
    parts += [str(BODY_REGIONS.get(code, code)) for code in exercise.regions]
    parts += [str(EQUIPMENT.get(code, code)) for code in exercise.equipment if code != "none"]
    return " · ".join(parts)


def print_exercise_card(actor: User, exercise: Exercise, language: str) -> bytes:
    """The exercise card as a PDF in ``language``; the print is logged."""
    clinic_name = actor.clinic.name
    with force_locale(language):
        name = exercise.text("name", language)
        item = PrintedExercise(
            name=name,
            picture=picture_uri(exercise.image_data, exercise.image_mime),
            figures=figure_uris(exercise),
            dose=dose_words(exercise_facts(exercise)),
            meta=_exercise_meta(exercise),
            **_exercise_texts(exercise, language),
        )
        title = gettext("Exercise card: %(name)s", name=name)
    pdf = render_pdf(
        "pdf/exercise_card.html",
        language=language,
        title=title,
        author=clinic_name,
        context={"exercise": item, "clinic_name": clinic_name},
    )
    record(
        Action.PRINT,
        object_type="exercise",
        object_id=exercise.id,
        summary=Summary.of("exercise_card_printed", language=language),
    )
    db.session.commit()
    return pdf


# --- the programme handout ----------------------------------------------------------------


@dataclass(frozen=True)
class Handout:
    """What the handout shows; texts in the patient's language."""

    programme: Programme
    phase: Phase
    phase_number: int
    phase_count: int
    schedule: str
    exercises: list[PrintedExercise]
    pain_contingent: bool
    weekdays: list[str] = field(default_factory=list)


def _current_phase(programme: Programme) -> Phase | None:
    phases = programme.phases
    current = next((p for p in phases if p.id == programme.current_phase_id), None)
    return current or (phases[0] if phases else None)


def _schedule(phase: Phase, language: str) -> str:
    if phase.schedule_kind == "weekdays" and phase.weekdays:
        names = get_day_names("wide", locale=language)
        numbers = [int(n) for n in phase.weekdays.split(",") if n.strip().isdigit()]
        days = [names[n - 1] for n in numbers if 1 <= n <= 7]
        if days:
            return gettext("On %(days)s", days=format_list(days, locale=language))
    if phase.schedule_kind == "rotation" and phase.rotation:
        labels = [label.strip() for label in phase.rotation.split(",") if label.strip()]
        return gettext(
            "Sessions %(labels)s in turn, one after the other", labels=" → ".join(labels)
        )
    if phase.sessions_per_week:
        return ngettext(
            "%(num)s session a week", "%(num)s sessions a week", phase.sessions_per_week
        )
    return ""


def _weekday_abbreviations(language: str) -> list[str]:
    names = get_day_names("abbreviated", locale=language)
    return [names[day] for day in range(7)]  # Monday first, as the Dutch week is


def _exercises_by_id(ids: set[int]) -> dict[int, Exercise]:
    """The prescribed exercises with their pictures, in one statement."""
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Exercise)
        .where(Exercise.id.in_(ids))
        .options(
            undefer(Exercise.image_data),
            raiseload(Exercise.region_rows),
            raiseload(Exercise.equipment_rows),
        )
    )
    return {exercise.id: exercise for exercise in rows}


def _names_by_id(ids: set[int], language: str) -> dict[int, str]:
    """Names of the harder versions the ladders lead to, in one statement."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Exercise.id, Exercise.name_nl, Exercise.name_en).where(Exercise.id.in_(ids))
    )
    other = "en" if language == "nl" else "nl"
    return {
        row.id: getattr(row, f"name_{language}") or getattr(row, f"name_{other}") for row in rows
    }


def handout_for(patient: Patient) -> Handout:
    """The handout's content for ``patient``, in their language; NothingToPrint when there
    is no active programme or its current phase has no exercises."""
    language = patient.preferred_language
    programme = active_programme(patient.id)
    with force_locale(language):
        if programme is None:
            raise NothingToPrint(
                gettext("There is no active programme, so there is no handout to print yet.")
            )
        phase = _current_phase(programme)
        prescriptions = list(phase.prescriptions) if phase else []
        if not prescriptions:
            raise NothingToPrint(
                gettext("The current phase has no exercises yet, so there is no handout to print.")
            )
        exercises = _exercises_by_id({p.exercise_id for p in prescriptions})
        next_names = _names_by_id(
            {e.progression_id for e in exercises.values() if e.progression_id}, language
        )
        clinic = patient.clinic
        items = []
        for prescription in prescriptions:
            exercise = exercises[prescription.exercise_id]
            items.append(
                PrintedExercise(
                    name=exercise.text("name", language),
                    picture=picture_uri(exercise.image_data, exercise.image_mime),
                    figures=figure_uris(exercise),
                    dose=dose_text(prescription, language),
                    notes=prescription.shown("notes", language) or "",
                    next_step=progression_cue(
                        prescription,
                        next_exercise=next_names.get(exercise.progression_id),
                        pain_safe_max=clinic.pain_safe_max,
                    ),
                    short_dose=short_dose(prescription_facts(prescription)),
                    session_label=prescription.session_label or "",
                    **_exercise_texts(exercise, language),
                )
            )
        return Handout(
            programme=programme,
            phase=phase,
            phase_number=programme.phases.index(phase) + 1,
            phase_count=len(programme.phases),
            schedule=_schedule(phase, language),
            exercises=items,
            pain_contingent=any(
                p.mode == "pain_contingent" and not p.paused for p in prescriptions
            ),
            weekdays=_weekday_abbreviations(language),
        )


def print_handout(actor: User, patient: Patient) -> bytes:
    """The patient's programme handout as a PDF in their language; the print is logged.

    Raises NothingToPrint (nothing is logged) when there is no handout to make.
    """
    handout, pdf = render_handout(patient)
    record(
        Action.PRINT,
        patient_id=patient.id,
        object_type="handout",
        object_id=handout.programme.id,
        summary=Summary.of("handout_printed", language=patient.preferred_language),
    )
    db.session.commit()
    return pdf


def render_handout(patient: Patient) -> tuple[Handout, bytes]:
    """The handout and its PDF, nothing logged (NothingToPrint when there is none)."""
    language = patient.preferred_language
    handout = handout_for(patient)
    clinic = patient.clinic
    with force_locale(language):
        title = gettext("Exercise programme for %(name)s", name=patient.full_name)
    pdf = render_pdf(
        "pdf/handout.html",
        language=language,
        title=title,
        author=patient.therapist.full_name,
        context={
            "handout": handout,
            "patient": patient,
            "clinic": clinic,
            "therapist": patient.therapist,
            "warning_signs": WARNING_SIGNS,
            "advice": ADVICE,
            # Pain after exercise may reach 5, whatever the clinic's pain-during boundary.
            "pain_after_max": DEFAULT_AFTER_MAX,
        },
    )
    return handout, pdf


def has_active_programme(patient_id: int) -> bool:
    return (
        db.session.scalar(
            select(Programme.id).where(
                Programme.patient_id == patient_id, Programme.status == "active"
            )
        )
        is not None
    )
