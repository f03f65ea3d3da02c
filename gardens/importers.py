"""CSV import of harvests (kind ``harvests``): one row per crop weighed, through ``harvest_record``."""

from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError

from core.imports import Importer, RowError, register_importer
from core.models import Facility
from core.querysets import ADD
from core.units import one_decimal

from . import services
from .models import MAX_HARVEST_LB, Crop, Garden, Harvest


@register_importer
class HarvestImporter(Importer):
    """Harvests from a spreadsheet kept in the garden. Gardens and crops must exist already."""

    kind = "harvests"
    label = "Harvests"
    model = Harvest
    columns = ["facility_code", "garden", "crop", "date", "weight_lb", "volunteers", "volunteer_hours"]
    required = {"facility_code", "garden", "crop", "date", "weight_lb"}
    help_text = (
        "One row per crop and day. garden and crop are names as they appear in RJ Admin; weight_lb is pounds "
        "with at most one decimal; volunteers and volunteer_hours may be blank. Rows already imported are "
        "reported as ignored, so the same file imported twice posts once."
    )

    def prepare(self, rows):
        codes = {r.get("facility_code", "").strip().upper() for r in rows} - {""}
        self.facilities = {f.code: f for f in Facility.objects.filter(code__in=codes)}
        allowed = Facility.objects.filter(code__in=codes)
        if self.user is not None:
            allowed_ids = set(
                Garden.objects.restrict(self.user, ADD)
                .filter(facility__code__in=codes)
                .values_list("facility_id", flat=True)
            )
            self.allowed = {f.code for f in allowed if f.pk in allowed_ids}
        else:
            self.allowed = set(codes)
        self.gardens = {
            (g.facility_id, g.name.lower()): g
            for g in Garden.objects.filter(facility__code__in=codes).select_related("facility")
        }
        self.crops = {c.name.lower(): c for c in Crop.objects.all()}
        # What an earlier import of these facilities already posted, and the rows of this file so far.
        dates = set()
        for r in rows:
            with contextlib.suppress(RowError):
                dates.add(self.parse_date(r.get("date", ""), "date"))
        self.imported = set(
            Harvest.objects.filter(facility__code__in=codes, date__in=dates)
            .exclude(import_key="")
            .values_list("import_key", flat=True)
        )
        self.seen: Counter[str] = Counter()

    def check(self, values):
        errors = {}
        code = values["facility_code"].strip().upper()
        facility = self.facilities.get(code)
        garden = crop = None
        if facility is None:
            errors["facility_code"] = f"No facility has the code '{values['facility_code']}'."
        elif code not in self.allowed:
            errors["facility_code"] = f"You cannot record harvests for {code}."
        else:
            garden = self.gardens.get((facility.pk, values["garden"].strip().lower()))
            if garden is None:
                errors["garden"] = f"{code} has no garden named '{values['garden']}'."
            elif not garden.active:
                errors["garden"] = f"The garden '{garden.name}' is no longer active."
        crop = self.crops.get(values["crop"].strip().lower())
        if crop is None:
            errors["crop"] = f"No crop is named '{values['crop']}'. Ask an administrator to add it to the catalog."
        parsed = {}
        for column, parse in (
            ("date", lambda v: self.parse_date(v, "date")),
            ("weight_lb", lambda v: one_decimal(self.parse_decimal(v, "weight_lb", places=2))),
            ("volunteers", lambda v: self.parse_int(v, "volunteers") if v else 0),
            ("volunteer_hours", lambda v: self.parse_decimal(v, "volunteer_hours", places=1) if v else Decimal("0")),
        ):
            try:
                parsed[column] = parse(values.get(column, ""))
            except RowError as exc:
                errors.update(exc.errors)
        weight = parsed.get("weight_lb")
        if weight is not None and weight <= 0:
            errors["weight_lb"] = "The weight must be more than zero."
        elif weight is not None and weight > MAX_HARVEST_LB:
            errors["weight_lb"] = f"{weight:,} lb in one row is not plausible (the limit is {MAX_HARVEST_LB:,} lb)."
        if parsed.get("volunteers", 0) < 0:
            errors["volunteers"] = "Cannot be negative."
        if errors:
            raise RowError(errors)
        probe = Harvest(
            facility=facility,
            garden=garden,
            crop=crop,
            date=parsed["date"],
            weight_lb=weight,
            volunteers=parsed["volunteers"],
            volunteer_hours=parsed["volunteer_hours"],
        )
        probe.clean()
        key = self.import_key(facility, garden, crop, parsed)
        if key in self.imported:
            return "ignore", None  # posted by an earlier import of the same rows
        return "create", {
            "import_key": key,
            "garden": garden,
            "crop": crop,
            "date": parsed["date"],
            "weight_lb": weight,
            "volunteers": parsed["volunteers"],
            "volunteer_hours": parsed["volunteer_hours"],
        }

    def import_key(self, facility, garden, crop, parsed) -> str:
        """The row's values, normalized, and its place among identical rows of this file: two equal
        weighings on one day are two harvests, and the same file again matches both."""
        values = "|".join(
            str(v)
            for v in (
                facility.code,
                garden.pk,
                crop.pk,
                parsed["date"].isoformat(),
                f"{parsed['weight_lb']:.1f}",
                parsed["volunteers"],
                f"{parsed['volunteer_hours']:.1f}",
            )
        )
        self.seen[values] += 1
        return hashlib.sha256(f"{values}#{self.seen[values]}".encode()).hexdigest()

    def apply(self, payload):
        if payload is None:
            return None
        if self.user is None:
            raise ValidationError("Import harvests as a user (--user): each harvest records who entered it.")
        return services.harvest_record(user=self.user, **payload)
