"""The patient's pages (today, check-in, history) and the therapist's (dashboard, progress)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import (
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from rehab.auth.access import patient_required, staff_required
from rehab.core.clock import clinic_today
from rehab.core.fragments import kept, kept_each
from rehab.core.i18n import gettext as _
from rehab.core.offline import owner_marker
from rehab.core.pages import page_arg
from rehab.core.urls import safe_next
from rehab.extensions import db
from rehab.patients.services import own_patient_record, patient_for
from rehab.programmes.wording import dose_text
from rehab.training import bp, check_ins, decisions, services
from rehab.training.dashboard import dashboard_listing, dashboard_rows, dashboard_versions
from rehab.training.feedback import session_feedback
from rehab.training.forms import (
    AcknowledgeForm,
    CheckInForm,
    DecisionForm,
    DismissForm,
    LogSessionForm,
)
from rehab.training.models import WARNING_SIGNS, TrainingSession
from rehab.training.pages import (
    PROGRESS_WEEKS,
    history_context,
    progress_context,
    progress_window,
)
from rehab.training.plan import fill_week, today_plan
from rehab.training.session_form import entry_from_form, prepare_session_form
from rehab.training.today import needs_safety_net, session_names, today_context


@bp.context_processor
def _template_helpers() -> dict:
    """Wording helpers for this blueprint's templates."""
    from rehab.training import wording
    from rehab.training.forms import (
        CR10_WORDS,
        FEEL_LABELS,
        PAIN_WORDS,
        SKIP_REASONS,
        SLEEP_LABELS,
    )

    return {
        "number": wording.number,
        "percent": wording.percent,
        "signed_percent": wording.signed_percent,
        "describe": wording.describe,
        "dose_text": dose_text,
        "logged_text": wording.logged_text,
        "alert_titles": wording.ALERT_TITLES,
        "severity_words": wording.SEVERITY_WORDS,
        "action_words": wording.ACTION_WORDS,
        "light_words": wording.LIGHT_WORDS,
        "light_badges": wording.LIGHT_BADGES,
        "mode_words": wording.MODE_WORDS,
        "skip_reasons": SKIP_REASONS,
        "sleep_labels": SLEEP_LABELS,
        "cr10_words": CR10_WORDS,
        "pain_words": PAIN_WORDS,
        "feel_labels": FEEL_LABELS,
    }


# --- patients ---------------------------------------------------------------------------------


@bp.route("/today", methods=["GET", "POST"])
@patient_required
def today():
    patient = own_patient_record(current_user)
    day = clinic_today(patient.clinic)
    posted = request.method == "POST"
    plan = today_plan(patient, day, with_week=not posted)
    form = LogSessionForm()
    form.today = day
    if posted and plan.has_programme:
        stored = services.session_by_key(form.submission_key.data or "")
        if stored is not None:
            return _saved(services.same_patient(stored, patient).id, created=False)
        prepare_session_form(form, plan.allowed, day)
        if form.validate():
            try:
                session, created = services.log_session(
                    current_user,
                    patient,
                    entry_from_form(form, plan.allowed),
                    today=day,
                    programme=plan.programme,
                    key_checked=True,
                )
            except services.LoggingRefused as refused:
                _refusal_to_form(form, refused)
            else:
                # The id without reading the committed row again (log_session checked whose
                # it is; so did the look-up above for a stored one).
                return _saved(sa.inspect(session).identity[0], created=created)
        if _wants_json():
            # A session kept on the phone while offline, sent now: say why it was refused.
            return jsonify(status="refused", errors=_form_messages(form)), 422
    elif posted:
        if _wants_json():
            return jsonify(status="refused", errors=[]), 409
        return redirect(url_for("training.today"))  # no programme: the page says so
    else:
        prepare_session_form(form, plan.due, day, new=True)
    if posted:  # refused: the page is shown again, with the week
        fill_week(plan, patient, day)
    response = make_response(
        render_template(
            "training/today.html",
            patient=patient,
            plan=plan,
            form=form,
            today=day,
            **today_context(patient, plan, day),
        )
    )
    # The service worker keeps the latest copy of this page for use without a network.
    response.headers["X-Rehab-Offline"] = "today"
    return response


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _form_messages(form) -> list[str]:
    messages = [str(m) for m in form.form_errors]
    for name, errors in form.errors.items():
        if name == "exercises":
            for item in errors:
                if isinstance(item, dict):
                    messages += [str(m) for msgs in item.values() for m in msgs]
                else:
                    messages.append(str(item))
        elif name is not None:
            messages += [str(m) for m in errors]
    return list(dict.fromkeys(messages))


def _saved(session_id: int, *, created: bool):
    url = url_for("training.session_detail", session_id=session_id)
    if _wants_json():
        return jsonify(status="saved", created=created, url=url)
    if created:
        flash(_("Your session has been saved."), "success")
    else:
        flash(_("This session was already saved; here it is."), "info")
    return redirect(url)


def _refusal_to_form(form, refused: services.LoggingRefused) -> None:
    target = getattr(form, refused.field, None) if refused.field else None
    if target is not None:
        target.errors = [*list(target.errors or []), refused.message]
    else:
        form.form_errors.append(refused.message)


@bp.route("/offline-state")
@patient_required
def offline_state():
    """What the phone needs to send a session it kept while offline: a fresh form token and
    whose log-in this is (a session kept for one patient is never sent for another)."""
    response = jsonify(csrf_token=generate_csrf(), owner=owner_marker(current_user))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sessions/<int:session_id>")
@patient_required
def session_detail(session_id: int):
    patient = own_patient_record(current_user)
    session = _own_session(patient, session_id)
    day = clinic_today(patient.clinic)
    can_correct = services.can_correct(session, patient, day)
    names = session_names(session)
    return render_template(
        "training/session.html",
        patient=patient,
        session=session,
        can_correct=can_correct,
        exercise_names=names,
        feedback=session_feedback(patient, session, names, fresh=can_correct),
        clinic=patient.clinic,
    )


@bp.route("/sessions/<int:session_id>/correct", methods=["GET", "POST"])
@patient_required
def edit_session(session_id: int):
    patient = own_patient_record(current_user)
    session = _own_session(patient, session_id)
    day = clinic_today(patient.clinic)
    if not services.can_correct(session, patient, day):
        flash(_("A session can only be corrected on the day you logged it."), "warning")
        return redirect(url_for("training.session_detail", session_id=session.id))
    from rehab.training.session_form import prescriptions_for_correction

    prescriptions = prescriptions_for_correction(patient, session)
    form = LogSessionForm()
    form.today = day
    prepare_session_form(form, prescriptions, day, session=session)
    if request.method == "POST" and form.validate():
        try:
            services.correct_session(
                current_user, patient, session, entry_from_form(form, prescriptions), today=day
            )
        except services.LoggingRefused as refused:
            _refusal_to_form(form, refused)
        else:
            flash(_("Your session has been corrected."), "success")
            return redirect(url_for("training.session_detail", session_id=session.id))
    return render_template(
        "training/correct.html", patient=patient, session=session, form=form, today=day,
        prescriptions=prescriptions, correcting=True,
    )  # fmt: skip


def _own_session(patient, session_id: int) -> TrainingSession:
    """The logged-in patient's own session; another patient's (or none) is a 404."""
    session = db.session.get(TrainingSession, session_id)
    if session is None or session.patient_id != patient.id:
        abort(404)
    return session


@bp.route("/check-in", methods=["GET", "POST"])
@patient_required
def checkin():
    patient = own_patient_record(current_user)
    day = clinic_today(patient.clinic)
    chosen = _date_arg(request.args.get("date")) or day
    if not day - dt.timedelta(days=7) <= chosen <= day:
        chosen = day
    existing = check_ins.check_in_on(patient, chosen)
    form = CheckInForm()
    form.today = day
    if request.method == "GET":
        form.check_date.data = chosen
        if existing is not None:
            form.morning_pain.data = existing.morning_pain
            form.stiffness_minutes.data = existing.stiffness_minutes
            form.sleep_quality.data = existing.sleep_quality
            form.worse_than_yesterday.data = _yes_no(existing.worse_than_yesterday)
            for name in WARNING_SIGNS:
                getattr(form, name).data = getattr(existing, name)
            form.note.data = existing.note
    elif form.validate():
        entry = check_ins.CheckInEntry(
            check_date=form.check_date.data,
            morning_pain=form.morning_pain.data,
            stiffness_minutes=form.stiffness_minutes.data,
            sleep_quality=form.sleep_quality.data,
            worse_than_yesterday=form.worse_than_yesterday.data == "yes",
            note=form.note.data,
            **{name: bool(getattr(form, name).data) for name in WARNING_SIGNS},
        )
        try:
            saved, created = check_ins.save_check_in(current_user, patient, entry, today=day)
        except services.LoggingRefused as refused:
            _refusal_to_form(form, refused)
        else:
            flash(
                _("Your check-in has been saved.")
                if created
                else _("Your check-in has been updated."),
                "success",
            )
            return redirect(url_for("training.checkin", date=saved.check_date.isoformat()))
    return render_template(
        "training/checkin.html",
        patient=patient,
        form=form,
        existing=existing,
        recent=check_ins.recent_check_ins(patient, day),
        today=day,
        clinic=patient.clinic,
        safety_net=existing is not None and needs_safety_net(existing, patient.clinic),
    )


def _date_arg(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


@bp.route("/history")
@patient_required
def history():
    patient = own_patient_record(current_user)
    day = clinic_today(patient.clinic)
    page = page_arg()
    return render_template(
        "training/history.html", patient=patient, **history_context(patient, day, page)
    )


# --- therapists -------------------------------------------------------------------------------


# Between two dashboard rows rendered together (never in a page: a NUL is not a character
# of HTML).
ROW_SEPARATOR = "\x00"


@bp.route("/dashboard")
@staff_required
def dashboard():
    scope = request.args.get("scope", "mine")
    if scope not in ("mine", "clinic"):
        scope = "mine"
    page = page_arg()
    today, versions = dashboard_versions(current_user, scope=scope)
    # A row names the patient's therapist on the clinic's list and to an admin.
    row_key = (scope, current_user.role, current_user.clinic.data_version, today)

    def rows(found: list) -> dict:
        built = dashboard_rows(found)
        html = render_template(
            "training/_dashboard_rows.html", rows=built, scope=scope, separator=ROW_SEPARATOR
        )
        return dict(zip(found, html.split(ROW_SEPARATOR), strict=True))

    def body() -> str:
        pagination = dashboard_listing(
            current_user, scope=scope, page=page, today=today, total=len(versions)
        )
        found = list(pagination.items)
        # Each row kept while its patient's rows are unchanged: a session logged by one
        # patient builds their row again, not the others'.
        keys = {row: (*row_key, row.Patient.id, row.Patient.data_version) for row in found}
        parts = kept_each("dashboard-row", keys, rows)
        return render_template(
            "training/_dashboard_body.html",
            scope=scope,
            filters={"scope": [scope]} if scope != "mine" else {},
            pagination=pagination,
            rows=[parts[row] for row in found],
            today=today,
        )

    # The page kept while none of the listed patients' rows, nor the clinic, changed (the
    # counters the database raises): one list per reader (their caseload, their role) and day.
    key = (current_user.id, current_user.role, current_user.clinic.data_version, today, versions)
    return render_template("training/dashboard.html", body=kept("dashboard", key, body))


@bp.route("/patients/<int:patient_id>/progress")
@staff_required
def progress(patient_id: int):
    patient = patient_for(current_user, patient_id, what="progress")
    today, weeks, end = progress_window(patient, request.args)
    full = request.args.get("full") == "1"  # the whole period, not only its last weeks

    def body() -> str:
        return render_template(
            "training/_progress_body.html",
            patient=patient,
            weeks=weeks,
            week_choices=PROGRESS_WEEKS,
            decision_form=DecisionForm(),
            dismiss_form=DismissForm(),
            acknowledge_form=AcknowledgeForm(),
            full=full,
            **progress_context(patient, end=end, weeks=weeks, today=today, full=full),
        )

    # Kept while the patient's rows and the clinic's settings are unchanged (the counters
    # the database raises), for this day and this reader's role.
    key = (patient.id, patient.data_version, patient.clinic.data_version, today,
           current_user.role)  # fmt: skip
    return render_template(
        "training/progress.html", patient=patient, body=kept("progress", key, body)
    )


def _back(patient_id: int):
    return redirect(
        safe_next(request.form.get("next")) or url_for("training.progress", patient_id=patient_id)
    )


@bp.route("/patients/<int:patient_id>/suggestions/<int:suggestion_id>/accept", methods=["POST"])
@staff_required
def accept_suggestion(patient_id: int, suggestion_id: int):
    patient, suggestion = decisions.suggestion_for(current_user, patient_id, suggestion_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("The note can be at most 500 characters."), "warning")
        return _back(patient.id)
    try:
        decisions.accept_suggestion(
            current_user,
            patient,
            suggestion,
            today=clinic_today(patient.clinic),
            note=form.note.data,
        )
    except decisions.DecisionRefused as refused:
        flash(_decision_message(str(refused)), "warning")
    else:
        flash(_("Suggestion accepted: the prescription has its new dose."), "success")
    return _back(patient.id)


@bp.route("/patients/<int:patient_id>/suggestions/<int:suggestion_id>/dismiss", methods=["POST"])
@staff_required
def dismiss_suggestion(patient_id: int, suggestion_id: int):
    patient, suggestion = decisions.suggestion_for(current_user, patient_id, suggestion_id)
    form = DismissForm()
    if not form.validate_on_submit():
        flash(_("The note can be at most 500 characters."), "warning")
        return _back(patient.id)
    try:
        decisions.dismiss_suggestion(current_user, patient, suggestion, form.note.data)
    except decisions.DecisionRefused as refused:
        flash(_decision_message(str(refused)), "warning")
    else:
        flash(_("Suggestion dismissed."), "success")
    return _back(patient.id)


@bp.route("/patients/<int:patient_id>/alerts/<int:alert_id>/acknowledge", methods=["POST"])
@staff_required
def acknowledge_alert(patient_id: int, alert_id: int):
    patient, alert = decisions.alert_for(current_user, patient_id, alert_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        flash(_("The note can be at most 500 characters."), "warning")
        return _back(patient.id)
    try:
        decisions.acknowledge_alert(current_user, patient, alert, form.note.data)
    except decisions.DecisionRefused:
        flash(_("This alert was already acknowledged."), "warning")
    else:
        flash(_("Alert acknowledged."), "success")
    return _back(patient.id)


def _decision_message(code: str) -> str:
    if code == "stale":
        return _("The dose changed since this suggestion was made; it has been set aside.")
    return _("This suggestion was already decided.")
