"""Printed documents: handouts, progress reports and exercise cards (WeasyPrint)."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from rehab.reports import models, views  # noqa: E402,F401  (routes register on import)


def _documents_panel(actor, patient) -> dict:
    """The "Documents" panel on the patient page: one query, whatever the data size."""
    from rehab.reports.services import has_active_programme

    return {"patient_id": patient.id, "has_programme": has_active_programme(patient.id)}


def _register_panels() -> None:
    from rehab.patients.panels import register_panel

    register_panel(90, "reports/_documents_panel.html", _documents_panel)


def _documents_for_export(actor, patient):
    """The patient's printed documents for their data export (GDPR art. 15 and 20): the
    current handout, if there is one, and a progress report over the default period."""
    from rehab.core.clock import clinic_today
    from rehab.reports import progress_report, services
    from rehab.reports.pdf import download_name

    nl = patient.preferred_language == "nl"
    try:
        _handout, pdf = services.render_handout(patient)
    except services.NothingToPrint:
        pass
    else:
        yield download_name("oefenprogramma" if nl else "exercise-programme"), pdf
    today = clinic_today(patient.clinic)
    programme = progress_report.reported_programme(patient.id, today)
    period = progress_report.default_period(programme.started_on if programme else None, today)
    pdf = progress_report.render_report(patient, period, language=patient.preferred_language)
    word = "voortgangsverslag" if nl else "progress-report"
    yield download_name(word, period.end.isoformat()), pdf


def _register_attachments() -> None:
    from rehab.privacy.export import register_attachment

    register_attachment(_documents_for_export)


_register_panels()
_register_attachments()
