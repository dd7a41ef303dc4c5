"""The periodic job: a reminder goes out once, on the patient's day and time, only when that
day's session is not yet logged, never at night, after discharge, while paused or without an
active programme; appointments the day before; one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from sqlalchemy import func, select

from rehab.extensions import db
from rehab.mail.models import OutgoingEmail
from rehab.reminders.job import run_periodic, send_reminders
from rehab.reminders.models import ReminderDelivery, ReminderSettings
from tests.factories import PASSWORD
from tests.mail.helpers import outbox, path_of, send_outbox
from tests.reminders.factories import MONDAY_EVENING, appointment, reminded
from tests.training.factories import log_session


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_due_reminder_is_sent_once_however_often_the_job_runs(app, world, smtp_server):
    reminded(world.patient)
    assert send_reminders(MONDAY_EVENING) == (1, 0)
    assert send_reminders(MONDAY_EVENING) == (0, 0)
    assert send_reminders(MONDAY_EVENING + dt.timedelta(hours=1)) == (0, 0)
    send_outbox()
    (received,) = smtp_server.to(world.patient.user.email)
    assert received.message["Subject"] == "Tijd voor je oefeningen"
    # The next chosen day is a new reminder.
    assert send_reminders(MONDAY_EVENING + dt.timedelta(days=1)) == (1, 0)


def test_a_logged_session_that_day_means_no_reminder(app, world):
    reminded(world.patient)
    reminded(world.other_patient)
    log_session(world.patient, dt.date(2026, 12, 7))
    db.session.commit()
    assert send_reminders(MONDAY_EVENING) == (1, 0)
    (email,) = outbox("exercise_reminder")
    assert email.user_id == world.other_patient.user_id


@pytest.mark.parametrize(
    "situation",
    ["discharged", "paused", "no programme", "disabled account", "switched off", "other day"],
)
def test_no_reminder_when(app, world, situation):
    settings = reminded(world.patient, programme=situation != "no programme")
    if situation == "discharged":
        world.patient.status = "discharged"
    elif situation == "paused":
        settings.paused_until = dt.date(2026, 12, 7)
    elif situation == "disabled account":
        world.patient.user.active = False
    elif situation == "switched off":
        settings.exercise_enabled = False
    elif situation == "other day":
        settings.weekdays = "2,4"
    db.session.commit()
    assert send_reminders(MONDAY_EVENING) == (0, 0)
    assert outbox() == []


@pytest.mark.parametrize(
    ("utc_time", "sent"),
    [((16, 59), 0), ((17, 0), 1), ((20, 59), 1), ((21, 0), 0), ((5, 59), 0)],
    ids=["17:59 local", "18:00", "21:59", "22:00 night", "06:59 night"],
)
def test_only_from_the_chosen_time_and_never_at_night(app, world, utc_time, sent):
    reminded(world.patient, at=dt.time(18, 0))
    now = dt.datetime(2026, 12, 7, *utc_time, tzinfo=dt.UTC)
    assert send_reminders(now) == (sent, 0)


def test_the_patients_own_time_zone_is_used(app, world):
    reminded(world.patient, at=dt.time(9, 0), zone="America/New_York")
    # 10:00 UTC is 05:00 in New York: night there, though day in Amsterdam.
    assert send_reminders(dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)) == (0, 0)
    assert send_reminders(dt.datetime(2026, 12, 7, 14, 30, tzinfo=dt.UTC)) == (1, 0)


def test_an_appointment_is_reminded_the_day_before_once_with_day_and_time(app, world, smtp_server):
    make = dict(by=world.therapist)
    world.patient.user.locale = "en"
    first = dt.datetime(2026, 12, 8, 9, 30, tzinfo=dt.UTC)  # Tuesday 10:30 in Amsterdam
    appointment(world.patient, first, **make)
    appointment(world.patient, first + dt.timedelta(hours=3), **make)  # same day: one e-mail
    appointment(world.other_patient, first, remind=False, **make)
    assert send_reminders(first - dt.timedelta(hours=25)) == (0, 0)  # more than a day ahead
    assert send_reminders(first - dt.timedelta(hours=23)) == (0, 1)
    assert send_reminders(first - dt.timedelta(hours=22)) == (0, 0)
    send_outbox()
    (received,) = smtp_server.received
    assert received.message["Subject"] == "Reminder: your appointment at Fysio Noord"
    assert "Tuesday, December 8, 2026" in received.text and "10:30" in received.text
    assert "List-Unsubscribe" in received.message


def test_reminders_carry_a_one_click_unsubscribe_that_works_without_logging_in(
    app, world, smtp_server
):
    app.config["WTF_CSRF_ENABLED"] = True  # a mail program sends no form token
    reminded(world.patient)
    send_reminders(MONDAY_EVENING)
    send_outbox()
    (received,) = smtp_server.received
    header = received.message["List-Unsubscribe"]
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(http://rehab\.test/unsubscribe/\S+)>", header).group(1)
    assert url in received.text  # a visible link too

    browser = app.test_client()
    question = browser.get(path_of(url))  # a link scanner opening it changes nothing
    assert question.status_code == 200 and "Ja, stop deze herinneringen" in question.text
    assert db.session.scalar(select(ReminderSettings.exercise_enabled)) is True

    one_click = browser.post(path_of(url), data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(ReminderSettings.exercise_enabled)) is False
    assert send_reminders(MONDAY_EVENING + dt.timedelta(days=1)) == (0, 0)
    assert browser.get(path_of(url)[:-3] + "xyz").status_code == 404  # a forged link


def test_the_command_sends_reminders_and_mail_and_reports_it(app, world, runner, smtp_server):
    # The clock stands just before the moment --at names, so the message queued then is due
    # at it (on a later day it would be due only after that moment: "nothing due").
    with time_machine.travel(MONDAY_EVENING - dt.timedelta(minutes=1), tick=True):
        reminded(world.patient)
        at = MONDAY_EVENING.isoformat()
        result = runner.invoke(args=["rehab", "send-reminders", "--at", at])
        assert result.exit_code == 0, result.output
        assert "exercise 1, appointment 0" in result.output and "sent 1" in result.output
        assert len(smtp_server.received) == 1
        again = runner.invoke(args=["rehab", "send-reminders", "--at", at])
        assert "exercise 0" in again.output and len(smtp_server.received) == 1
        bad = runner.invoke(args=["rehab", "send-reminders", "--at", "2026-12-07T17:05"])
        assert bad.exit_code != 0 and "time zone" in bad.output


def test_old_delivery_rows_and_old_messages_are_removed(app, world):
    # Rows written on that Monday evening (the clock stands just before), removed 61 days later.
    with time_machine.travel(MONDAY_EVENING - dt.timedelta(minutes=1), tick=True):
        reminded(world.patient)
        send_reminders(MONDAY_EVENING)
        run_periodic(MONDAY_EVENING)
        assert (_count(ReminderDelivery), _count(OutgoingEmail)) == (1, 1)
    # 61 days later, in the afternoon: before that day's own reminder is due at 18:00.
    run_periodic(MONDAY_EVENING + dt.timedelta(days=61, hours=-2))
    assert (_count(ReminderDelivery), _count(OutgoingEmail)) == (0, 0)


def test_the_patient_chooses_days_and_time_and_defaults_come_from_the_schedule(app, world):
    from tests.factories import make_programme

    programme = make_programme(world.patient)
    phase = programme.phases[0]
    phase.schedule_kind, phase.weekdays = "weekdays", "2,4"
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": world.patient.user.email, "password": PASSWORD})
    page = client.get("/reminders/").text
    checked = set(re.findall(r'<input checked[^>]*name="weekdays"[^>]*value="(\d)"', page))
    assert checked == {"2", "4"}  # the phase's fixed weekdays
    assert '<option selected value="18:00">' in page  # the clinic's reminder time
    form = {"exercise_enabled": "y", "weekdays": ["1", "7"], "remind_at": "08:15",
            "timezone": "Europe/Amsterdam", "appointments_enabled": "y"}  # fmt: skip
    assert client.post("/reminders/", data=form).status_code == 302
    settings = db.session.scalar(select(ReminderSettings))
    assert (settings.weekdays, settings.remind_at) == ("1,7", dt.time(8, 15))
    assert send_reminders(dt.datetime(2026, 12, 7, 7, 20, tzinfo=dt.UTC)) == (1, 0)


def test_the_rq_cron_configuration_runs_the_periodic_job_every_five_minutes():
    import importlib

    from rq import cron

    import rehab.reminders.rq_cron as config
    from rehab.reminders.job import run_periodic_job

    cron._job_data_registry.clear()  # as CronScheduler.load_config_from_file does
    importlib.reload(config)
    (job,) = [j for j in cron._job_data_registry if j["func"] is run_periodic_job]
    assert (job["queue_name"], job["interval"]) == ("rehab-mail", 300)
