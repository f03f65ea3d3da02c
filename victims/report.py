"""The victim section of a court report: what goes in it, and what never does.

The defendant and counsel receive the whole sentencing assessment report (RSMo 557.026), so the
section carries no name, address, phone, e-mail, date of birth or employer of any victim: victims
are "Victim 1", "Victim 2". The free text a victim wrote may itself name a street or a number, so
every text field is scrubbed of each victim's own identity values (read here, never shown) and of
anything shaped like a phone number or an e-mail address. For a victim in an RSMo 595.226 category
(sexual offense, domestic assault, stalking) or marked "redact all", the name and its parts are
scrubbed too and the section says the victim's identity is withheld under 595.226.

What a victim wrote for a board only ("written, for the board only") never reaches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .choices import BoardMode, StatementStatus
from .models import ImpactStatement, VictimIdentity

REDACTED = "[withheld]"
_PHONE = re.compile(r"(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TEXT_FIELDS = ("physical_injury", "psychological_harm", "welfare_changes", "view_on_sentence", "statement_text")


@dataclass
class VictimPart:
    label: str
    kind: str
    redacted: bool
    statements: list = field(default_factory=list)
    losses: list = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((loss.amount for loss in self.losses), Decimal("0.00"))


def _identity_terms(identity: VictimIdentity | None, redacted: bool) -> list[str]:
    if identity is None:
        return []
    terms = [
        identity.address,
        identity.mailing_address,
        identity.designated_address,
        identity.phone,
        identity.alternate_phone,
        identity.email,
        identity.employer,
    ]
    # Each line of an address alone ("4417 Persimmon Hollow Road") as well as the whole.
    terms += [
        part.strip()
        for t in (identity.address, identity.mailing_address, identity.designated_address)
        for part in (t or "").split(",")
    ]
    if identity.date_of_birth:
        dob = identity.date_of_birth
        terms += [
            dob.isoformat(),
            f"{dob:%m/%d/%Y}",
            f"{dob.month}/{dob.day}/{dob.year}",
            f"{dob:%B} {dob.day}, {dob.year}",
        ]
    if redacted:
        terms += [identity.name, *[w for w in re.split(r"[\s-]+", identity.name) if len(w) > 2]]
    return sorted({t for t in terms if t and len(t) > 2}, key=len, reverse=True)


def scrub(text: str, terms: list[str]) -> str:
    for term in terms:
        text = re.sub(re.escape(term), REDACTED, text, flags=re.I)
    text = _EMAIL.sub(REDACTED, text)
    return _PHONE.sub(REDACTED, text)


def section_context(case) -> dict:
    """The section's content for ``case`` (the caller has checked the user may produce it)."""
    statements = (
        ImpactStatement.objects.filter(case=case, status=StatementStatus.RECORDED)
        .exclude(board_mode=BoardMode.WRITTEN_BOARD_ONLY)
        .select_related("victim")
        .prefetch_related("losses")
        .order_by("victim__created_at", "victim_id", "received_on", "pk")
    )
    identities = {i.victim_id: i for i in VictimIdentity.objects.filter(victim__in={s.victim_id for s in statements})}
    parts: dict[int, VictimPart] = {}
    for statement in statements:
        victim = statement.victim
        part = parts.get(victim.pk)
        if part is None:
            part = parts[victim.pk] = VictimPart(
                label=f"Victim {len(parts) + 1}", kind=victim.get_kind_display(), redacted=victim.redacted
            )
            part.terms = _identity_terms(identities.get(victim.pk), victim.redacted)
        part.statements.append(
            {
                "received_on": statement.received_on,
                "method": statement.get_method_display(),
                "seriousness": statement.get_injury_seriousness_display(),
                "permanence": statement.get_injury_permanence_display(),
                "counselling_requested": statement.counselling_requested,
                **{name: scrub(getattr(statement, name), part.terms) for name in TEXT_FIELDS},
            }
        )
        for loss in statement.losses.all():
            loss.description = scrub(loss.description, part.terms)
            loss.documentation = scrub(loss.documentation, part.terms)
            part.losses.append(loss)
    victims = list(parts.values())
    return {
        "case": case,
        "victims": victims,
        "statement_count": sum(len(p.statements) for p in victims),
        "total": sum((p.total for p in victims), Decimal("0.00")),
    }
