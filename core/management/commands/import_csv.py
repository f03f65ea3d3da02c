"""Check, and with --commit apply, a CSV file: ``manage.py import_csv KIND FILE [--commit]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.imports import IMPORTERS, ROW, decode_csv, import_run
from core.models import User


class Command(BaseCommand):
    help = "Check a CSV file and print every error (exit status 1 when there is one); --commit applies a clean file."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="What the file holds: " + ", ".join(sorted(IMPORTERS)))
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="Apply the file when it has no error.")
        parser.add_argument("--user", help="Import as this user (their scope applies and history names them).")

    def handle(self, *args, kind, file, commit, user, **options):
        if kind not in IMPORTERS:
            raise CommandError(f"Unknown kind {kind!r}. Kinds: {', '.join(sorted(IMPORTERS))}.")
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        try:
            content = decode_csv(raw)
        except ValueError as exc:
            raise CommandError(f"{file}: {exc}") from None
        as_user = None
        if user:
            as_user = User.objects.filter(username=user, is_active=True).first()
            if as_user is None:
                raise CommandError(f"No active user is named {user!r}.")
        result = import_run(kind=kind, content=content, user=as_user, commit=commit)
        for message in result.file_errors:
            self.stderr.write(f"{file}: {message}")
        for row in result.rows:
            for column, messages in row.errors.items():
                where = f"line {row.line}" + ("" if column == ROW else f", column {column}")
                for message in messages:
                    self.stderr.write(f"{file}: {where}: {message}")
        counts = ", ".join(f"{n} to {a}" for a, n in sorted(result.counts().items())) or "no rows"
        if not result.ok:
            messages = len(result.file_errors) + sum(len(m) for r in result.rows for m in r.errors.values())
            bad_rows = sum(1 for r in result.rows if r.errors)
            self.stderr.write(
                f"{messages} error(s) in {bad_rows} of {len(result.rows)} row(s); nothing was imported."
                if result.rows
                else f"{messages} error(s) in the file; nothing was imported."
            )
            raise SystemExit(1)
        if result.committed:
            self.stdout.write(self.style.SUCCESS(f"Imported {file}: {counts}."))
        else:
            self.stdout.write(f"{file} is good ({counts}). Run again with --commit to apply it.")
