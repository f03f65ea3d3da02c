"""CSV import of donations (kind ``donations``): one row per line; rows sharing a reference are one donation.

Each donation goes through ``donation_create``, so the preview refuses anything beyond what is on
hand, exactly as the commit would. A facility's reference can be imported once: re-importing the
same file is refused row by row instead of giving the same produce twice.
"""

from __future__ import annotations

from core.imports import Importer, RowError, register_importer
from core.models import Facility, Organization
from core.querysets import ADD, VIEW, can
from core.units import one_decimal
from gardens import selectors as garden_selectors

from . import services
from .choices import DonationPurpose
from .models import Donation, Item

TRUE = {"yes", "y", "true", "1", "x"}
FALSE = {"", "no", "n", "false", "0"}


@register_importer
class DonationImporter(Importer):
    kind = "donations"
    label = "Donations"
    model = Donation
    columns = [
        "reference",
        "facility_code",
        "date",
        "recipient",
        "county",
        "purpose",
        "crop",
        "weight_lb",
        "item",
        "quantity",
        "acknowledged",
    ]
    required = {"facility_code", "date", "recipient"}
    help_text = (
        "One row per line: either crop and weight_lb (pounds, one decimal) or item and quantity. Rows with the "
        "same reference (and facility) are one donation. recipient is the organization's name as in RJ Admin "
        "(county tells apart two of the same name). purpose is use, distribution or auction (distribution when "
        "blank); acknowledged is yes or no."
    )

    def prepare(self, rows):
        codes = {r.get("facility_code", "").strip().upper() for r in rows} - {""}
        self.facilities = {f.code: f for f in Facility.objects.filter(code__in=codes)}
        if self.user is None:
            self.allowed = set(self.facilities)
        elif can(self.user, Donation, ADD):
            visible = set(
                Facility.objects.restrict(self.user, VIEW).filter(code__in=codes).values_list("code", flat=True)
            )
            self.allowed = visible
        else:
            self.allowed = set()
        names = {r.get("recipient", "").strip().lower() for r in rows} - {""}
        self.recipients: dict[str, list[Organization]] = {}
        for org in Organization.objects.filter(active=True):
            if org.name.lower() in names:
                self.recipients.setdefault(org.name.lower(), []).append(org)
        self.crops = {c.name.lower(): c for c in garden_selectors.crops(active_only=False)}
        self.items = {i.name.lower(): i for i in Item.objects.all()}
        refs = {r.get("reference", "").strip() for r in rows} - {""}
        self.existing = set(
            Donation.objects.filter(facility__code__in=codes, reference__in=refs).values_list(
                "facility__code", "reference"
            )
        )
        self.groups: dict[tuple, dict] = {}
        self.created: dict[tuple, Donation] = {}
        self.row_number = 1

    def check(self, values):
        self.row_number += 1
        errors = {}
        code = values["facility_code"].strip().upper()
        facility = self.facilities.get(code)
        if facility is None:
            errors["facility_code"] = f"No facility has the code '{values['facility_code']}'."
        elif code not in self.allowed:
            errors["facility_code"] = f"You cannot record donations for {code}."
        reference = values.get("reference", "").strip()
        if reference and (code, reference) in self.existing:
            errors["reference"] = f"{code} already has a donation with the reference '{reference}'."
        recipient = self._recipient(values, errors)
        purpose = (values.get("purpose") or "distribution").strip().lower()
        if purpose not in DonationPurpose.values:
            errors["purpose"] = f"'{values['purpose']}' is not one of: {', '.join(DonationPurpose.values)}."
        acknowledged = (values.get("acknowledged") or "").strip().lower()
        if acknowledged not in TRUE | FALSE:
            errors["acknowledged"] = "Write yes or no."
        line = self._line(values, errors)
        try:
            day = self.parse_date(values["date"], "date")
        except RowError as exc:
            errors.update(exc.errors)
            day = None
        if errors:
            raise RowError(errors)
        header = {
            "facility": facility,
            "recipient": recipient,
            "date": day,
            "purpose": purpose,
            "acknowledged": acknowledged in TRUE,
            "reference": reference,
        }
        key = (code, reference) if reference else ("row", self.row_number)
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = {"header": header, "lines": [line], "first": self.row_number}
            return "create", key
        if group["header"] != header:
            raise RowError(
                f"Line {group['first']} has the same reference with another date, recipient, purpose or "
                "acknowledgement: one donation has one of each."
            )
        group["lines"].append(line)
        return "include", key

    def _recipient(self, values, errors):
        name = values["recipient"].strip()
        found = self.recipients.get(name.lower(), [])
        county = (values.get("county") or "").strip().lower()
        if county:
            found = [o for o in found if o.county.lower() == county]
        if not found:
            errors["recipient"] = f"No active organization is named '{name}'" + (
                f" in {values['county']} County." if county else "."
            )
            return None
        if len(found) > 1:
            errors["county"] = f"Several organizations are named '{name}': give the county."
            return None
        return found[0]

    def _line(self, values, errors):
        crop_name, item_name = values.get("crop", "").strip(), values.get("item", "").strip()
        if bool(crop_name) == bool(item_name):
            errors["crop"] = "Give either a crop with weight_lb or an item with quantity."
            return None
        if crop_name:
            crop = self.crops.get(crop_name.lower())
            if crop is None:
                errors["crop"] = f"No crop is named '{crop_name}'."
            try:
                weight = one_decimal(self.parse_decimal(values.get("weight_lb", ""), "weight_lb", places=2))
                if weight <= 0:
                    errors["weight_lb"] = "The weight must be more than zero."
            except RowError as exc:
                errors.update(exc.errors)
                weight = None
            return ("crop", crop, weight)
        item = self.items.get(item_name.lower())
        if item is None:
            errors["item"] = f"No item is named '{item_name}'."
        try:
            quantity = self.parse_int(values.get("quantity", ""), "quantity")
            if quantity <= 0:
                errors["quantity"] = "The quantity must be more than zero."
        except RowError as exc:
            errors.update(exc.errors)
            quantity = None
        return ("item", item, quantity)

    def apply(self, key):
        if key in self.created:
            return self.created[key]
        if self.user is None:
            raise RowError("Import donations as a user (--user): each donation records who entered it.")
        group = self.groups[key]
        lines = group["lines"]
        donation = services.donation_create(
            user=self.user,
            produce=[(obj, amount) for kind, obj, amount in lines if kind == "crop"],
            items=[(obj, amount) for kind, obj, amount in lines if kind == "item"],
            **group["header"],
        )
        self.created[key] = donation
        return donation
