"""Movement analyses: record, show, compare; and the patient's own read-only view."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from rehab.auth.access import patient_required, staff_required
from rehab.core.clock import local_today
from rehab.core.i18n import format_decimal
from rehab.core.i18n import gettext as _
from rehab.core.pages import page_arg
from rehab.extensions import db
from rehab.patients import bp, comparison, evaluation, notes, services
from rehab.patients import vocabulary as vocab
from rehab.patients.analysis_forms import AnalysisForm, blank_extra_tests
from rehab.patients.models import AnalysisKind


@bp.app_template_filter("measure_value")
def measure_value(value, pattern: str = "0.##") -> str:
    """A measured value in the user's language ("4,5" in Dutch); "–" when not recorded."""
    if value is None:
        return "–"
    return format_decimal(value, format=pattern)


def _fit_to_clinic(form: AnalysisForm) -> None:
    # STarT Back is licensed and optional: its group is asked only where the clinic uses it.
    if not current_user.clinic.uses_start_back:
        del form.start_back_group


def _render_form(form: AnalysisForm, patient, analysis=None):
    day = form.recorded_on.data or dt.date.today()
    suggested = evaluation.suggested_red_flags(patient, day, form.earlier_episodes.data)
    return render_template(
        "patients/analysis_form.html",
        form=form,
        patient=patient,
        analysis=analysis,
        suggested_red_flags={reason.code: notes.describe(reason) for reason in suggested},
        groups=evaluation.MEASURE_GROUPS,
        group_measures=evaluation.group_measures,
        vocab=vocab,
    )


def _save_and_show(form: AnalysisForm, patient, analysis=None):
    rows = (form.analysis_values(), form.activity_rows(), form.extra_test_rows())
    if analysis is None:
        analysis = services.create_analysis(current_user, patient, *rows)
        flash(_("The analysis has been saved."), "success")
    else:
        services.update_analysis(current_user, analysis, *rows)
        flash(_("The changes to the analysis have been saved."), "success")
    return redirect(url_for("patients.analysis", patient_id=patient.id, analysis_id=analysis.id))


@bp.route("/<int:patient_id>/analyses")
@staff_required
def analyses(patient_id: int):
    patient = services.patient_for(current_user, patient_id)
    pagination = db.paginate(
        services.analyses_statement(patient.id),
        page=page_arg(),
        per_page=services.ANALYSES_PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "patients/analyses.html", patient=patient, pagination=pagination, kinds=vocab.ANALYSIS_KINDS
    )


def _prefill(form: AnalysisForm, patient) -> None:
    """A new analysis starts from today's date, the right kind and the same activities."""
    choices = services.analysis_choices(patient.id)
    wanted = request.args.get("kind")
    if wanted in vocab.ANALYSIS_KINDS:
        form.kind.data = wanted
    else:
        form.kind.data = AnalysisKind.REASSESSMENT if choices else AnalysisKind.INTAKE
    try:
        form.recorded_on.data = dt.date.fromisoformat(request.args.get("on", ""))
    except ValueError:
        form.recorded_on.data = local_today()
    if form.recorded_on.data > local_today():
        form.recorded_on.data = local_today()
    if not choices:
        form.earlier_episodes.data = patient.earlier_episodes
        return
    # A re-assessment scores the same patient-specific activities again (PSK/PSFS).
    _, latest = services.analyses_for_report(patient.id)
    if latest is not None and latest.activity_instrument:
        form.activity_instrument.data = latest.activity_instrument
        for entry, activity in zip(form.activities, latest.activities, strict=False):
            entry.form.description.data = activity.description
        form.sport_activity.data = _sport_position(latest)


def _sport_position(analysis) -> str:
    """The row of the analysis's sport or work activity, as the form's radio value."""
    rows = [n for n, a in enumerate(analysis.activities, start=1) if a.sport_or_work]
    return str(rows[0]) if rows else ""


@bp.route("/<int:patient_id>/analyses/new", methods=["GET", "POST"])
@staff_required
def new_analysis(patient_id: int):
    patient = services.patient_for(current_user, patient_id)
    form = AnalysisForm()
    _fit_to_clinic(form)
    if request.method == "GET":
        _prefill(form, patient)
        blank_extra_tests(form)
    if form.validate_on_submit():
        return _save_and_show(form, patient)
    return _render_form(form, patient)


@bp.route("/<int:patient_id>/analyses/<int:analysis_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_analysis(patient_id: int, analysis_id: int):
    patient, analysis = services.analysis_for(current_user, patient_id, analysis_id)
    if request.method == "GET":
        form = AnalysisForm(obj=analysis)
        form.sport_activity.data = _sport_position(analysis)
        if analysis.treatment_profile is not None:
            form.treatment_profile.data = str(analysis.treatment_profile)
        blank_extra_tests(form)
    else:
        form = AnalysisForm()
    _fit_to_clinic(form)
    if form.validate_on_submit():
        return _save_and_show(form, patient, analysis)
    return _render_form(form, patient, analysis)


def _analysis_page(patient, analysis, *, for_patient: bool):
    view = evaluation.analysis_view(
        analysis,
        stiffness_review_minutes=current_user.clinic.stiffness_review_minutes,
        sex=None if for_patient else patient.sex,
        for_patient=for_patient,
    )
    return render_template(
        "patients/analysis.html",
        patient=patient,
        analysis=analysis,
        view=view,
        vocab=vocab,
        describe_note=notes.describe,
        for_patient=for_patient,
        uses_start_back=current_user.clinic.uses_start_back,
    )


@bp.route("/<int:patient_id>/analyses/<int:analysis_id>")
@staff_required
def analysis(patient_id: int, analysis_id: int):
    patient, analysis = services.analysis_for(current_user, patient_id, analysis_id)
    return _analysis_page(patient, analysis, for_patient=False)


@bp.route("/<int:patient_id>/analyses/compare")
@staff_required
def compare(patient_id: int):
    patient = services.patient_for(current_user, patient_id)
    options = services.analysis_choices(patient.id)
    context = {"patient": patient, "options": options, "kinds": vocab.ANALYSIS_KINDS}
    chosen = [request.args.get(name, type=int) for name in ("before", "after")]
    if any(i is not None and i not in {o.id for o in options} for i in chosen):
        abort(404)  # not an analysis of this patient
    if len(options) < 2:
        return render_template("patients/compare.html", before=None, after=None, **context)
    before_id, after_id = chosen[0] or options[0].id, chosen[1] or options[-1].id
    found = services.analyses_by_id(patient, [before_id, after_id])
    before, after = found[before_id], found[after_id]
    return render_template(
        "patients/compare.html",
        before=before,
        after=after,
        **comparison.comparison(before, after),
        **context,
    )


# --- the patient's own view -----------------------------------------------------------------


@bp.route("/me/analyses")
@patient_required
def my_analyses():
    patient = services.own_patient_record(current_user)
    pagination = db.paginate(
        services.analyses_statement(patient.id),
        page=page_arg(),
        per_page=services.ANALYSES_PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "patients/my_analyses.html",
        patient=patient,
        pagination=pagination,
        kinds=vocab.ANALYSIS_KINDS,
    )


@bp.route("/me/analyses/<int:analysis_id>")
@patient_required
def my_analysis(analysis_id: int):
    patient, analysis = services.own_analysis(current_user, analysis_id)
    return _analysis_page(patient, analysis, for_patient=True)
