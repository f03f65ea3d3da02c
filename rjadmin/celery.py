"""The Celery application: settings under the CELERY_ namespace, tasks found in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rjadmin.settings")

app = Celery("rjadmin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
