"""The demo tells its five stories whatever the weekday: alerts and suggestions at once."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from rehab import demo
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.models import Suggestion
from rehab.training.demo import seed as seed_training
from rehab.training.models import Alert
from tests.training.demo_programmes import add_demo_programmes


@pytest.mark.parametrize("weekday", range(7))
def test_each_demo_patient_tells_their_story(app, monkeypatch, weekday):
    today = dt.date(2026, 11, 23) + dt.timedelta(days=weekday)  # Monday + weekday
    monkeypatch.setattr(
        demo,
        "_area_seeders",
        lambda: [add_demo_programmes, lambda d: seed_training(dataclasses.replace(d, today=today))],
    )
    demo.seed()
    patients = {p.first_name: p.id for p in db.session.scalars(select(Patient))}
    alerts = {
        name: {a.kind for a in db.session.scalars(select(Alert).where(Alert.patient_id == pid))}
        for name, pid in patients.items()
    }
    suggestions = {
        name: {
            s.action
            for s in db.session.scalars(
                select(Suggestion).where(Suggestion.patient_id == pid, Suggestion.status == "open")
            )
        }
        for name, pid in patients.items()
    }
    # 1. Sanne: a gradual rise with green pain, at the top of her range → progress only.
    assert alerts["Sanne"] == set() and "progress" in suggestions["Sanne"]
    # 2. Tom: a load spike.
    assert {"session_spike", "two_week_alert"} <= alerts["Tom"]
    # 3. Emma: a red pain response two days ago → alert and regress.
    assert "pain_red" in alerts["Emma"] and "regress" in suggestions["Emma"]
    # 4. Daan: nothing logged for ten days.
    assert "no_logs" in alerts["Daan"]
    # 5. Lotte: warning signs for review.
    assert {"morning_stiffness", "sleep_worse"} <= alerts["Lotte"]
