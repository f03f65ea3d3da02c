"""``make run``: the web server, a Celery worker and Celery beat in the foreground. Ctrl-C stops them all."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from core.management.addr import browser_url


class Command(BaseCommand):
    help = "Run the development web server with a Celery worker and beat; stop all three with Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "rjadmin"]
        commands = {
            "worker": [*celery, "worker", "--loglevel=INFO", "--pool=solo", "--without-gossip", "--without-mingle"],
            "beat": [*celery, "beat", "--loglevel=INFO", "--schedule", str(settings.VAR_DIR / "celerybeat-schedule")],
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
        }
        procs = {}
        for name, command in commands.items():
            procs[name] = subprocess.Popen(command, env=os.environ.copy())
        broker = "Redis" if settings.REDIS_URL else "the filesystem broker in var/celery"
        self.stdout.write(self.style.SUCCESS(f"\nRJ Admin is running at {browser_url(addr)}/ (Celery on {broker})."))
        self.stdout.write("Demo logins are listed above. Press Ctrl-C to stop the server, the worker and beat.\n")

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} stopped (exit {proc.returncode}); stopping the others.")
                        stopping = True
                time.sleep(0.5)
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for proc in procs.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()
        self.stdout.write("Stopped.")
