"""Re-encrypt every victim's contact details under the newest key of VICTIMS_ENCRYPTION_KEYS.

Run after putting a new key first in VICTIMS_ENCRYPTION_KEYS (old keys still after it); once it has
finished, the old keys can be removed. Safe to run twice. See docs/victims.md.
"""

from django.core.management.base import BaseCommand

from victims.services import identities_rotate


class Command(BaseCommand):
    help = "Re-encrypt victims' contact details under the newest VICTIMS_ENCRYPTION_KEYS key."

    def handle(self, *args, **options):
        count = identities_rotate()
        self.stdout.write(f"Re-encrypted {count} identity rows (history included).")
