"""Shared start-up for benchmark scripts: Django configured from the environment, like the app."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rjadmin.settings")
    import django

    django.setup()
