"""The conflict checker registered in core's hook (core.conflicts): is the person being added one of
this offender's victims, or a victim's representative?

A victim matches when, among the victims on the offender's cases (and their representatives):

- the normalized name (core.conflicts.normalize_name: folded, punctuation dropped, words sorted)
  has a PostgreSQL ``pg_trgm`` similarity of at least ``NAME_THRESHOLD`` with the victim's, or
- the keyed hash of the normalized address, phone or e-mail equals one of the victim's (home,
  mailing or Safe at Home designated address; either phone; e-mail).

``NAME_THRESHOLD`` = 0.5 (measured with PostgreSQL's ``similarity`` on normalized names): a surname
part left out, "rosalind whitfield" against "quintero rosalind whitfield", scores 0.68; a split
surname, "jose obrien" against "brien jose o", 0.67; two people sharing a first name, "ann smith"
against "ann jones", 0.25. A false match costs victim services a review; a missed
one can put a victim across a table from the offender, so the threshold leans to matching.

Each hit is a ``ConflictMatch`` for victim services to clear or confirm; the caller receives only
the check's opaque reference. Nothing here logs or returns the victim's details.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Q

from core.conflicts import PersonDetails

from .crypto import keyed_hash
from .models import ConflictMatch, Victim, VictimIdentity, new_match_reference

NAME_THRESHOLD = 0.5
ADDRESS_HASHES = ("address_hash", "mailing_address_hash", "designated_address_hash")
PHONE_HASHES = ("phone_hash", "alternate_phone_hash")


def _victims_of(offender) -> list[int]:
    """The offender's victims and their representatives: two small indexed reads (an OR of two
    subqueries would make PostgreSQL scan every victim)."""
    direct = list(Victim.cases.through.objects.filter(courtcase__offender=offender).values_list("victim_id", flat=True))
    if not direct:
        return []
    return direct + list(Victim.objects.filter(represents__in=direct).values_list("pk", flat=True))


def check(offender, person: PersonDetails) -> str | None:
    """Record a ``ConflictMatch`` per matching victim and return the check's reference, or None."""
    address, phone, email = keyed_hash(person.address), keyed_hash(person.phone), keyed_hash(person.email)
    exact = Q()
    for value, columns in ((address, ADDRESS_HASHES), (phone, PHONE_HASHES), (email, ("email_hash",))):
        if value:
            for column in columns:
                exact |= Q(**{column: value})
    victims = _victims_of(offender)
    if not victims:
        return None
    identities = VictimIdentity.objects.filter(victim__in=victims)
    wanted = exact
    if person.name:
        identities = identities.annotate(similarity=TrigramSimilarity("name_normalized", person.name))
        wanted = Q(similarity__gte=NAME_THRESHOLD) | exact
    elif not exact:
        return None
    hits = list(identities.filter(wanted).order_by(*(["-similarity"] if person.name else []), "pk"))
    if not hits:
        return None
    reference = new_match_reference()
    ConflictMatch.objects.bulk_create(
        [
            ConflictMatch(
                reference=reference,
                offender=offender,
                victim_id=identity.victim_id,
                person_name=person.name,
                person_address=person.address,
                person_phone=person.phone,
                person_email=person.email,
                matched_on=", ".join(_why(identity, person, address, phone, email)),
                similarity=Decimal(str(round(identity.similarity, 3))) if person.name else None,
            )
            for identity in hits
        ]
    )
    return reference


def _why(identity, person, address, phone, email) -> list[str]:
    why = []
    if person.name and identity.similarity >= NAME_THRESHOLD:
        why.append("name")
    if address and address in (getattr(identity, c) for c in ADDRESS_HASHES):
        why.append("address")
    if phone and phone in (getattr(identity, c) for c in PHONE_HASHES):
        why.append("phone")
    if email and email == identity.email_hash:
        why.append("e-mail")
    return why
