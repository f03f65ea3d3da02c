"""CSV import of victims (kind ``victims``): victim services' records from another system, one row per
victim and case, through ``services.victim_save``.

The file holds identity and contact, so it is a ``sensitive`` import: kept encrypted between preview
and commit (``victims.crypto``), and its preview shown only to victim services and administrators.
A victim already on the case under the same name (normalized as the conflict check does) is reported
as already there, so the same file imported twice adds each victim once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.conflicts import normalize_name
from core.imports import Importer, RowError, register_importer
from core.models import CourtCase
from core.querysets import ADD, can

from . import crypto
from .choices import StatutoryCategory, VictimKind
from .models import Victim, VictimIdentity, can_read_identity
from .services import victim_save

YES = {"yes", "y", "true", "1", "x"}
NO = {"", "no", "n", "false", "0"}
CHANNELS = {
    "email": "notify_by_email",
    "e-mail": "notify_by_email",
    "mail": "notify_by_mail",
    "letter": "notify_by_mail",
}
CHANNELS["phone"] = "notify_by_phone"


@register_importer
class VictimImporter(Importer):
    kind = "victims"
    label = "Victims (victim services only)"
    model = Victim
    sensitive = True
    columns = [
        "case_number",
        "kind",
        "name",
        "address",
        "mailing_address",
        "phone",
        "email",
        "date_of_birth",
        "statutory_category",
        "do_not_contact",
        "notification_requested_on",
        "notify_by",
        "safe_at_home_address",
        "safe_at_home_card_expires",
    ]
    required = {"case_number", "name"}
    key_column = "name"
    help_text = (
        "One row per victim and case. kind is person (the default) or organization; statutory_category is "
        "blank, sexual_offense, domestic_assault or stalking; do_not_contact is yes or no; notify_by lists "
        "email, mail and phone separated by semicolons; dates are YYYY-MM-DD. For a Safe at Home participant "
        "give safe_at_home_address (the card's designated address) and its expiry, and leave address and "
        "mailing_address empty. A victim already on the case under the same name is left as it is."
    )

    @classmethod
    def allowed(cls, user) -> bool:
        return user is None or (can_read_identity(user) and can(user, Victim, ADD))

    @classmethod
    def seal(cls, content: str) -> str:
        return crypto.encrypt(content)

    @classmethod
    def unseal(cls, stored: str) -> str:
        return crypto.decrypt(stored)

    def prepare(self, rows):
        numbers = {r.get("case_number", "").strip().upper() for r in rows} - {""}
        cases = CourtCase.objects.filter(case_number__in=numbers)
        if self.user is not None:
            cases = cases.restrict(self.user)
        self.cases: dict[str, list] = {}
        for case in cases:
            self.cases.setdefault(case.case_number.upper(), []).append(case)
        self.existing = set(
            VictimIdentity.objects.filter(victim__cases__in=[c for found in self.cases.values() for c in found])
            .values_list("victim__cases__case_number", "name_normalized")
            .distinct()
        )

    def key(self, values):
        return f"{values.get('case_number', '').strip().upper()}|{normalize_name(values.get('name', ''))}"

    def check(self, values):
        if self.user is not None and not self.allowed(self.user):
            raise RowError({"case_number": "Only victim services and administrators import victims."})
        errors = {}
        number = values["case_number"].strip().upper()
        found = self.cases.get(number, [])
        if not found:
            errors["case_number"] = f"No case has the number '{values['case_number']}'."
        elif len(found) > 1:
            errors["case_number"] = f"More than one court has case {number}: ask an administrator."
        kind = values.get("kind", "").strip().lower() or VictimKind.PERSON
        if kind not in VictimKind.values:
            errors["kind"] = "Give person or organization."
        category = values.get("statutory_category", "").strip().lower()
        if category not in StatutoryCategory.values:
            errors["statutory_category"] = "Give sexual_offense, domestic_assault, stalking, or leave it empty."
        flags = {}
        for column in ("do_not_contact",):
            text = values.get(column, "").strip().lower()
            if text not in YES | NO:
                errors[column] = "Give yes or no."
            flags[column] = text in YES
        channels = {}
        for part in values.get("notify_by", "").replace(",", ";").split(";"):
            part = part.strip().lower()
            if not part:
                continue
            if part not in CHANNELS:
                errors["notify_by"] = f"'{part}' is not a channel: use email, mail or phone."
            else:
                channels[CHANNELS[part]] = True
        if flags.get("do_not_contact") and channels:
            errors["notify_by"] = "A victim who asked not to be contacted gets no notices: leave notify_by empty."
        dates = {}
        for column in ("date_of_birth", "notification_requested_on", "safe_at_home_card_expires"):
            text = values.get(column, "").strip()
            if text:
                try:
                    dates[column] = self.parse_date(text, column)
                except RowError as exc:
                    errors.update(exc.errors)
        designated = values.get("safe_at_home_address", "").strip()
        if designated:
            for column in ("address", "mailing_address"):
                if values.get(column, "").strip():
                    errors[column] = "Leave this empty for a Safe at Home participant: give the designated address."
            if "safe_at_home_card_expires" not in dates and "safe_at_home_card_expires" not in errors:
                errors["safe_at_home_card_expires"] = "Give the date the Safe at Home card expires."
        email = values.get("email", "").strip()
        if email and ("@" not in email or " " in email):
            errors["email"] = "This is not an e-mail address."
        if errors:
            raise RowError(errors)
        case = found[0]
        name = values["name"].strip()
        if (case.case_number, normalize_name(name)) in self.existing:
            return "ignore", None
        victim = Victim(
            kind=kind,
            statutory_category=category,
            do_not_contact=flags["do_not_contact"],
            notification_requested_on=dates.get("notification_requested_on"),
            **channels,
        )
        identity = VictimIdentity(
            name=name,
            address=values.get("address", "").strip(),
            mailing_address=values.get("mailing_address", "").strip(),
            phone=values.get("phone", "").strip(),
            email=email,
            date_of_birth=dates.get("date_of_birth", ""),
            safe_at_home=bool(designated),
            designated_address=designated,
            safe_at_home_card_verified=bool(designated),
            safe_at_home_card_expires=dates.get("safe_at_home_card_expires"),
        )
        return "create", (victim, identity, case)

    def apply(self, payload):
        if payload is None:
            return None
        if self.user is None:
            raise ValidationError(
                "Import victims as a victim services user (--user): each victim records who added it."
            )
        victim, identity, case = payload
        return victim_save(user=self.user, victim=victim, identity=identity, cases=[case])
