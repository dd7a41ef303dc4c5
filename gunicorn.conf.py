"""`gunicorn --config gunicorn.conf.py wsgi:app` from a checkout: the settings live in the
package (rehab/serving.py), so an installed Rehab serves the same way with `rehab serve`."""

from rehab.serving import *  # noqa: F403
