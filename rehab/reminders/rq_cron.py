"""The periodic job for RQ's cron scheduler, instead of a crontab line:

    rq cron rehab.reminders.rq_cron --url $REHAB_JOB_QUEUE_URL

with `flask --app wsgi rehab worker` running to execute it (docs/deployment.md).
"""

import os

from rq import cron

from rehab.reminders.job import run_periodic_job

cron.register(
    run_periodic_job,
    os.environ.get("REHAB_MAIL_QUEUE_NAME", "rehab-mail"),
    interval=int(os.environ.get("REHAB_REMINDER_INTERVAL", 300)),
    job_timeout=600,
)
