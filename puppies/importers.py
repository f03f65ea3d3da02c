"""CSV imports of Puppies for Parole: ``dogs`` (a shelter's intake list, with the rabies vaccination) and
``dog_conduct`` (conduct violations from the institution's records, which bar a person from handling)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core.imports import Importer, RowError, register_importer
from core.models import Facility, Offender
from core.querysets import VIEW

from . import services
from .choices import DogSex, GoodWith, VaccineKind, ViolationSource
from .models import ConductViolation, Dog, Shelter, Vaccination

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def _yes_no(value: str, column: str) -> bool:
    v = (value or "").strip().lower()
    if v in YES:
        return True
    if v in NO:
        return False
    raise RowError({column: f"Write yes or no, not '{value}'."})


def _choice(value: str, choices, column: str, default=None) -> str:
    v = (value or "").strip().lower()
    if not v and default is not None:
        return default
    if v not in choices.values:
        raise RowError({column: f"'{value}' is not one of: {', '.join(choices.values)}."})
    return v


@register_importer
class DogImporter(Importer):
    """A partner shelter's intake list: one row per dog, its rabies vaccination included (a dog enters a
    facility only with a current one). A dog already in RJ Admin (same shelter and shelter ID) is ignored."""

    kind = "dogs"
    label = "Dogs (a shelter's intake list)"
    model = Dog
    columns = [
        "shelter",
        "shelter_ref",
        "name",
        "breed",
        "sex",
        "birth_estimate",
        "colour",
        "intake_on",
        "spayed_neutered",
        "spay_neuter_on",
        "rabies_given_on",
        "rabies_expires_on",
        "good_with_dogs",
        "good_with_cats",
        "good_with_children",
        "behaviour_notes",
    ]
    required = {"shelter", "shelter_ref", "name", "breed", "sex", "birth_estimate", "colour", "intake_on"}
    key_column = "shelter_ref"
    help_text = (
        "shelter is the partner shelter's name as in RJ Admin; dates are YYYY-MM-DD; sex is female or male; "
        "spayed_neutered yes or no; good_with_* yes, no or unknown (blank: unknown). rabies_given_on and "
        "rabies_expires_on go together. The same file imported twice adds each dog once."
    )

    def prepare(self, rows):
        self.shelters = {s.organization.name.lower(): s for s in Shelter.objects.select_related("organization")}
        if self.user is None:
            self.allowed = set(self.shelters)
        else:
            visible = Shelter.objects.restrict(self.user, VIEW)
            if not self.user.is_administrator:
                visible = visible.filter(facilities__in=self.user.facility_ids)
            self.allowed = {s.organization.name.lower() for s in visible.select_related("organization")}
        self.existing = set(Dog.objects.values_list("shelter_id", "shelter_ref"))

    def key(self, values):
        return f"{values.get('shelter', '').strip().lower()}|{values.get('shelter_ref', '').strip()}"

    def check(self, values):
        errors = {}
        name = values["shelter"].strip().lower()
        shelter = self.shelters.get(name)
        if shelter is None:
            errors["shelter"] = f"No partner shelter is named '{values['shelter']}'."
        elif name not in self.allowed:
            errors["shelter"] = f"{shelter} does not work with your facilities."
        parsed = {}
        for column, parse in (
            ("birth_estimate", lambda v: self.parse_date(v, "birth_estimate")),
            ("intake_on", lambda v: self.parse_date(v, "intake_on")),
            ("spay_neuter_on", lambda v: self.parse_date(v, "spay_neuter_on") if v.strip() else None),
            ("rabies_given_on", lambda v: self.parse_date(v, "rabies_given_on") if v.strip() else None),
            ("rabies_expires_on", lambda v: self.parse_date(v, "rabies_expires_on") if v.strip() else None),
            ("spayed_neutered", lambda v: _yes_no(v, "spayed_neutered")),
            ("sex", lambda v: _choice(v, DogSex, "sex")),
            ("good_with_dogs", lambda v: _choice(v, GoodWith, "good_with_dogs", GoodWith.UNKNOWN)),
            ("good_with_cats", lambda v: _choice(v, GoodWith, "good_with_cats", GoodWith.UNKNOWN)),
            ("good_with_children", lambda v: _choice(v, GoodWith, "good_with_children", GoodWith.UNKNOWN)),
        ):
            try:
                parsed[column] = parse(values.get(column, ""))
            except RowError as exc:
                errors.update(exc.errors)
        if bool(parsed.get("rabies_given_on")) != bool(parsed.get("rabies_expires_on")) and not (
            {"rabies_given_on", "rabies_expires_on"} & set(errors)
        ):
            errors["rabies_expires_on"] = "Give both the rabies date and its expiry, or neither."
        if errors:
            raise RowError(errors)
        if (shelter.pk, values["shelter_ref"].strip()) in self.existing:
            return "ignore", None
        dog = Dog(
            shelter=shelter,
            shelter_ref=values["shelter_ref"].strip(),
            name=values["name"].strip(),
            breed=values["breed"].strip(),
            colour=values["colour"].strip(),
            behaviour_notes=values.get("behaviour_notes", "").strip(),
            sex=parsed["sex"],
            birth_estimate=parsed["birth_estimate"],
            intake_on=parsed["intake_on"],
            spayed_neutered=parsed["spayed_neutered"],
            spay_neuter_on=parsed["spay_neuter_on"],
            good_with_dogs=parsed["good_with_dogs"],
            good_with_cats=parsed["good_with_cats"],
            good_with_children=parsed["good_with_children"],
        )
        dog.full_clean(validate_unique=False, validate_constraints=False)
        rabies = None
        if parsed["rabies_given_on"]:
            rabies = Vaccination(
                kind=VaccineKind.RABIES, given_on=parsed["rabies_given_on"], expires_on=parsed["rabies_expires_on"]
            )
            try:
                rabies.clean()
            except ValidationError as exc:
                raise RowError(
                    {
                        ("rabies_given_on" if k == "given_on" else "rabies_expires_on"): " ".join(v)
                        for k, v in exc.message_dict.items()
                    }
                ) from exc
        return "create", {"dog": dog, "rabies": rabies}

    @transaction.atomic
    def apply(self, payload):
        if payload is None:
            return None
        if self.user is None:
            raise ValidationError("Import dogs as a user (--user): each intake records who entered it.")
        dog = services.dog_intake(user=self.user, dog=payload["dog"])
        if payload["rabies"] is not None:
            payload["rabies"].dog = dog
            payload["rabies"].full_clean()
            payload["rabies"].save()
        return dog


@register_importer
class ConductImporter(Importer):
    """Conduct violations from the institution's records: they bar a person from handling for the rule's days."""

    kind = "dog_conduct"
    label = "Conduct violations (dog handlers)"
    model = ConductViolation
    columns = ["doc_id", "facility_code", "date", "description"]
    required = {"doc_id", "facility_code", "date", "description"}
    help_text = "One row per violation: the person's DOC ID, the facility's code, the date (YYYY-MM-DD), what happened."

    def prepare(self, rows):
        ids = {r.get("doc_id", "").strip() for r in rows} - {""}
        codes = {r.get("facility_code", "").strip().upper() for r in rows} - {""}
        self.people = {o.doc_id: o for o in Offender.objects.filter(doc_id__in=ids)}
        self.facilities = {f.code: f for f in Facility.objects.filter(code__in=codes)}
        if self.user is None or self.user.is_administrator:
            self.allowed = set(self.facilities)
        else:
            self.allowed = {f.code for f in self.facilities.values() if f.pk in self.user.facility_ids}
        self.existing = set(
            ConductViolation.objects.active()
            .filter(offender__doc_id__in=ids)
            .values_list("offender__doc_id", "date", "description")
        )

    def key(self, values):
        return "|".join(values.get(c, "").strip().lower() for c in self.columns)

    def check(self, values):
        errors = {}
        person = self.people.get(values["doc_id"].strip())
        if person is None:
            errors["doc_id"] = f"No person has the DOC ID '{values['doc_id']}'."
        code = values["facility_code"].strip().upper()
        facility = self.facilities.get(code)
        if facility is None:
            errors["facility_code"] = f"No facility has the code '{values['facility_code']}'."
        elif code not in self.allowed:
            errors["facility_code"] = f"You cannot record violations for {code}."
        try:
            date = self.parse_date(values["date"], "date")
        except RowError as exc:
            errors.update(exc.errors)
            date = None
        description = values["description"].strip()
        if len(description) > 300:
            errors["description"] = "At most 300 characters."
        if errors:
            raise RowError(errors)
        if (person.doc_id, date, description) in self.existing:
            return "ignore", None
        violation = ConductViolation(
            offender=person, facility=facility, date=date, description=description, source=ViolationSource.IMPORTED
        )
        problems = {}
        violation._check_date(problems)
        if problems:
            raise RowError(problems)
        return "create", violation

    def apply(self, payload):
        if payload is None:
            return None
        if self.user is None:
            raise ValidationError("Import violations as a user (--user): each records who entered it.")
        payload.entered_by = self.user
        payload.full_clean()
        payload.save()
        return payload
