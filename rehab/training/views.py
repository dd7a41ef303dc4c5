"""The patient's pages: today's exercises, logging and check-ins."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from rehab.auth.access import patient_required
from rehab.patients.services import own_patient_record
from rehab.training import bp


@bp.route("/today")
@patient_required
def today():
    patient = own_patient_record(current_user)
    return render_template("training/today.html", patient=patient)
