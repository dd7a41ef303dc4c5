"""WSGI entry point: `flask --app wsgi …` and `gunicorn wsgi:app`."""

from rehab import create_app

app = create_app()
