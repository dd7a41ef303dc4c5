"""Putting e-mail in the outbox, and handing it to the queue once its transaction commits.

A service adds an OutgoingEmail row in the same transaction as the change it reports (the
reset link, the reminder's delivery row): if that transaction rolls back, no mail exists.
Only after the commit is the message handed on: to an RQ queue when REHAB_JOB_QUEUE_URL is
set (`flask rehab worker` sends it), else to a background thread of this process. Nothing is
sent inside the web request, and a message whose hand-over is lost (Redis down, the process
restarted) is still in the table: `flask rehab send-reminders` sends what is due.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event, inspect

from rehab.auth.models import User
from rehab.core.crypto import encrypt
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.mail.messages import check_params
from rehab.mail.models import OutgoingEmail

log = logging.getLogger(__name__)

SECRET_PURPOSE = "outbox-link"  # noqa: S105  (the encryption key's purpose, not a secret)
_PENDING = "rehab_mail_pending"
# Threads started in this process, so that tests (and a graceful shutdown) can wait for them.
THREADS: list[threading.Thread] = []


def recipient_locale(user: User) -> str:
    """The recipient's own language: their setting, else their clinic's."""
    if user.locale in ("nl", "en"):
        return user.locale
    return user.clinic.default_locale if user.clinic.default_locale in ("nl", "en") else "nl"


def queue_email(
    user: User,
    kind: str,
    *,
    params: dict,
    secret: str | None = None,
    to: str | None = None,
    locale: str | None = None,
) -> OutgoingEmail:
    """Add a message for ``user`` to the current transaction (the caller commits)."""
    check_params(kind, params)
    email = OutgoingEmail(
        clinic_id=user.clinic_id,
        user_id=user.id,
        to_address=to or user.email,
        locale=locale or recipient_locale(user),
        kind=kind,
        params=params,
        secret_encrypted=encrypt(secret, purpose=SECRET_PURPOSE) if secret else None,
        status="queued",
        attempts=0,
        next_attempt_at=utcnow(),
    )
    db.session.add(email)
    db.session.info.setdefault(_PENDING, []).append(email)
    return email


def _after_commit(session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending or not has_app_context():
        return
    # The identity is known without a query (a query is not allowed in this hook).
    ids = [state.identity[0] for state in map(inspect, pending) if state.identity]
    if ids:
        dispatch(ids)


def _after_rollback(session) -> None:
    session.info.pop(_PENDING, None)


event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_rollback", _after_rollback)


# --- handing messages to the queue -----------------------------------------------------------


def mail_queue():
    from redis import Redis
    from rq import Queue

    config = current_app.config
    connection = Redis.from_url(config["REHAB_JOB_QUEUE_URL"], socket_connect_timeout=2)
    return Queue(config["REHAB_MAIL_QUEUE_NAME"], connection=connection)


@contextmanager
def sending_here() -> Iterator[None]:
    """Messages committed inside this block are not handed to a queue: the caller sends
    them itself (the periodic job: a cron run may end before a background thread would)."""
    g.rehab_mail_sending_here = True
    try:
        yield
    finally:
        g.pop("rehab_mail_sending_here", None)


def dispatch(ids: list[int], *, delay_seconds: int = 0) -> None:
    """Send these messages in the background (now, or after ``delay_seconds``)."""
    config = current_app.config
    if config["REHAB_MAIL_DISPATCH"] != "auto" or g.get("rehab_mail_sending_here"):
        return
    if config.get("REHAB_JOB_QUEUE_URL"):
        _enqueue(ids, delay_seconds)
        return
    app = current_app._get_current_object()
    if delay_seconds:
        thread = threading.Timer(delay_seconds, _deliver_in_thread, args=(app, ids))
        thread.daemon = True
    else:
        thread = threading.Thread(target=_deliver_in_thread, args=(app, ids), daemon=True)
    thread.name = f"mail-{ids[0]}"
    THREADS[:] = [t for t in THREADS if t.is_alive()]
    THREADS.append(thread)
    thread.start()


def _enqueue(ids: list[int], delay_seconds: int) -> None:
    import datetime as dt

    from redis.exceptions import RedisError

    try:
        queue = mail_queue()
        for email_id in ids:
            if delay_seconds:
                # Runs when the worker's scheduler is on (`flask rehab worker` turns it on).
                queue.enqueue_in(dt.timedelta(seconds=delay_seconds), run_queued, email_id)
            else:
                queue.enqueue(run_queued, email_id, job_timeout=300, result_ttl=3600)
    except RedisError:
        # The rows are safe in the database; the periodic job sends them.
        log.warning("mail queue unreachable; %d message(s) wait for the periodic job", len(ids))


def _deliver_in_thread(app: Flask, ids: list[int]) -> None:
    from rehab.mail.delivery import deliver

    with app.app_context():
        try:
            for email_id in ids:
                deliver(email_id)
        finally:
            db.session.remove()


_PARENT_PID = os.getpid()


def run_queued(email_id: int) -> None:
    """The RQ entry point (as rehab.reports.batch.run_queued_job): inside the worker's app
    context, with fresh database connections in a forked work horse."""
    from rehab.mail.delivery import deliver

    if not has_app_context():  # a bare `rq worker`: build the app from the environment
        from rehab import create_app

        with create_app().app_context():
            deliver(email_id)
        return
    if os.getpid() != _PARENT_PID:
        db.engine.dispose(close=False)
    deliver(email_id)
