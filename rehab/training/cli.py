"""`flask --app wsgi rehab scan-alerts`: raise the time-driven alerts for every clinic.

The dashboard scans its clinic on its first load of the day; this command does the same for
all clinics (e.g. nightly from cron), so that "nothing logged for N days" appears without
anyone opening the dashboard, and marks them scanned so that no dashboard does it again.
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
    from rehab.core.clock import clinic_today
    from rehab.training.alerts import claim_daily_scan, scan_alerts

    offered = 0
    for clinic in db.session.scalars(select(Clinic).order_by(Clinic.id)).all():
        today = clinic_today(clinic)
        claim_daily_scan(clinic.id, today)  # the dashboards need not scan again today
        offered += scan_alerts(today=today, clinic_ids=[clinic.id])
    db.session.commit()
    click.echo(f"Alerts checked: {offered} findings (already raised ones are kept once).")
