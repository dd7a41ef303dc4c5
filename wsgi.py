"""WSGI entry point in a checkout: `flask --app wsgi …` and `gunicorn wsgi:app`."""

from rehab.wsgi import app

__all__ = ["app"]
