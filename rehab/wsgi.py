"""The WSGI application of an installed Rehab: `gunicorn rehab.wsgi:app` (`rehab serve`)."""

from rehab import create_app

app = create_app()
