"""`flask --app wsgi rehab scan-alerts`: raise the time-driven alerts for every clinic.

The dashboard scans its clinic when it loads; this command does the same for all clinics
(e.g. nightly from cron), so that "nothing logged for N days" appears without anyone
opening the dashboard.
"""

from __future__ import annotations

import click
from sqlalchemy import select

from rehab.auth.models import Clinic
from rehab.cli import rehab_cli
from rehab.extensions import db


@rehab_cli.command("scan-alerts")
def scan_alerts_command() -> None:
    """Raise due alerts (load spikes, pain, warning signs, no logs) for all clinics."""
    from rehab.training.alerts import scan_alerts
    from rehab.training.services import clinic_today

    offered = 0
    for clinic in db.session.scalars(select(Clinic).order_by(Clinic.id)):
        offered += scan_alerts(today=clinic_today(clinic), clinic_ids=[clinic.id])
    db.session.commit()
    click.echo(f"Alerts checked: {offered} findings (already raised ones are kept once).")
