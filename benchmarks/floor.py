"""The floor for the page benchmarks: a bare Flask + Flask-SQLAlchemy app doing one indexed read.

Same database, same driver, same test client as the pages: what a request costs when the
app does nothing but look one patient up by primary key and return a few words. The pages
are judged by how many times this they take (benchmarks/run.py).
"""

from __future__ import annotations

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

from rehab.config import normalise_database_url


def create_floor_app(database_url: str) -> tuple[Flask, SQLAlchemy]:
    app = Flask("floor")
    app.config.update(
        SQLALCHEMY_DATABASE_URI=normalise_database_url(database_url),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
    )
    db = SQLAlchemy()
    db.init_app(app)

    @app.get("/floor/<int:patient_id>")
    def one_patient(patient_id: int):
        row = db.session.execute(
            text("SELECT id, first_name, last_name FROM patients WHERE id = :id"),
            {"id": patient_id},
        ).one_or_none()
        return f"{row.first_name} {row.last_name}" if row else "none"

    return app, db


def wsgi_app() -> Flask:
    """For gunicorn (benchmarks/over_http.py): ``benchmarks.floor:wsgi_app()`` on the database
    in FLOOR_DATABASE_URL."""
    import os

    return create_floor_app(os.environ["FLOOR_DATABASE_URL"])[0]
