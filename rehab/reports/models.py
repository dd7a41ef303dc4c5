"""Batch print jobs: a clinic's progress reports for a period, made in the background."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehab.auth.models import User
from rehab.core.db import utcnow
from rehab.core.vocabulary import sql_in
from rehab.extensions import db

JOB_SCOPES = ("mine", "clinic")
JOB_FORMATS = ("pdf", "zip")
JOB_LANGUAGES = ("patient", "clinic")
JOB_STATUSES = ("queued", "running", "done", "failed")
# Why a job failed: an error while printing, or no sign of life for longer than the timeout
# (the process or the database went away while it ran; see rehab.reports.job_watch).
JOB_FAILURES = ("error", "stalled")


class PrintJob(db.Model):
    """One batch print: who asked for what, how far it got, and where the file is.

    ``file_path`` is relative to the print-jobs folder under the instance folder; files and
    rows older than a week are removed when a new job is created.
    """

    __tablename__ = "print_jobs"
    __table_args__ = (
        CheckConstraint(f"scope IN {sql_in(JOB_SCOPES)}", name="scope"),
        CheckConstraint(f"file_format IN {sql_in(JOB_FORMATS)}", name="file_format"),
        CheckConstraint(f"language_choice IN {sql_in(JOB_LANGUAGES)}", name="language_choice"),
        CheckConstraint(f"status IN {sql_in(JOB_STATUSES)}", name="status"),
        CheckConstraint("period_end >= period_start", name="period"),
        CheckConstraint("done_count >= 0 AND total_count >= 0", name="counts"),
        CheckConstraint(f"failure IS NULL OR failure IN {sql_in(JOB_FAILURES)}", name="failure"),
        Index("ix_print_jobs_clinic_created", "clinic_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scope: Mapped[str] = mapped_column(String(8))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    file_format: Mapped[str] = mapped_column(String(8))
    language_choice: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8), default="queued")
    done_count: Mapped[int] = mapped_column(default=0)
    total_count: Mapped[int] = mapped_column(default=0)
    # The patients printed, in the order of the file: each download is logged per patient.
    patient_ids: Mapped[list] = mapped_column(JSON, default=list)
    file_path: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)  # the developer's detail, for the log
    failure: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    # The running job's last sign of life: written with every report it prints.
    heartbeat_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    # A failed job started again: the new job that took its place.
    retried_as_id: Mapped[int | None] = mapped_column(
        ForeignKey("print_jobs.id", ondelete="SET NULL"), index=True
    )

    requested_by: Mapped[User] = relationship(lazy="joined")

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")
