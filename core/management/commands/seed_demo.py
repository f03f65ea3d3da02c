"""Load the demo data of every app (idempotent) and print the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand

from core.demo.data import DEFAULT_PASSWORD
from core.management.addr import browser_url
from core.services import demo_seed


class Command(BaseCommand):
    help = "Load demo data: Missouri's institutions, P&P districts, partners, fictional people, one user per role."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for newly created demo users.")
        parser.add_argument("--offenders", type=int, default=300, help="How many fictional offenders to create.")
        parser.add_argument(
            "--addr",
            default="",
            help="The address the server will listen on (make run's ADDR), for the sign-in link; else SITE_URL.",
        )

    def handle(self, *args, password, offenders, addr, **options):
        logins = demo_seed(password=password, offenders=offenders)
        from core.registry import registry

        for seeder in registry.demo_seeders():
            seeder()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        site = browser_url(addr) if addr else settings.SITE_URL.rstrip("/")
        self.stdout.write(f"Sign in at {site}/accounts/login/ with any of these (password: {password}):")
        width = max(len(u) for u in logins)
        for username, label in logins.items():
            self.stdout.write(f"  {username.ljust(width)}  {label}")
