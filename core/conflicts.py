"""The conflict check: is a person being added somewhere someone protected in relation to an offender?

Any program that adds a person near an offender (a board member, an adopter, a worksite contact, a
class speaker, a donation recipient's contact) calls :func:`conflict_check`. Core asks every
registered ``ConflictChecker`` (the victims app registers the real one); with none registered the
answer is "no conflict". A hit carries only an opaque reference and the sentence "possible
conflict, refer to victim services": never the protected person's name, address or anything else,
so the answer is safe to show to any role and to keep in a log.

The normalizers are here so every checker and every caller agree on what "the same" means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from core.registry import registry

REFER = "Possible conflict: refer to victim services before going ahead."

_STREET = {
    "street": "st",
    "avenue": "ave",
    "road": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "highway": "hwy",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "apartment": "apt",
    "suite": "ste",
}


def _fold(value: str) -> str:
    """Lower case, accents removed, punctuation to spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def normalize_name(value: str) -> str:
    """'  O'Brien,  José ' and 'jose obrien' compare equal: words folded and sorted."""
    text = _fold((value or "").replace("'", "").replace("\u2019", ""))
    return " ".join(sorted(text.split()))


def normalize_phone(value: str) -> str:
    """Digits only, a US country code dropped: '(573) 751-2389' == '+1 573 751 2389'."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def normalize_email(value: str) -> str:
    return (value or "").strip().lower()


# "P.O. Box", "PO Box", "P O Box", "Post Office Box", "POB": one spelling once folded.
_PO_BOX = re.compile(
    r"\b(?:p o b|pob|pobox|p o box|po box|post office box|postoffice box|p o|po)\b(?= ?\d)"
    r"|\b(?:p o box|post office box|postoffice box|pobox|pob)\b"
)


def normalize_address(value: str) -> str:
    """Folded, with the usual street words abbreviated ('2729 Plaza Drive' == '2729 plaza dr.') and a
    post office box spelled one way ('P.O. Box 1409' == 'Post Office Box 1409' == 'POB 1409')."""
    text = _PO_BOX.sub("po box", _fold(value))
    text = re.sub(r"\bpo box box\b", "po box", text)
    return " ".join(_STREET.get(word, word) for word in text.split())


@dataclass(frozen=True)
class PersonDetails:
    """Who is being added, normalized once here so checkers compare like with like."""

    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def of(cls, *, name="", address="", phone="", email="") -> PersonDetails:
        return cls(
            name=normalize_name(name),
            address=normalize_address(address),
            phone=normalize_phone(phone),
            email=normalize_email(email),
        )

    @property
    def empty(self) -> bool:
        return not (self.name or self.address or self.phone or self.email)


@dataclass(frozen=True)
class ConflictResult:
    """The answer: ``possible`` and opaque ``references`` only (one per checker that found something)."""

    possible: bool
    references: tuple[str, ...] = field(default_factory=tuple)

    @property
    def message(self) -> str:
        return REFER if self.possible else "No conflict found."


def conflict_check(*, offender, person: PersonDetails) -> ConflictResult:
    """Ask every registered checker about ``person`` in relation to ``offender``."""
    if person.empty:
        return ConflictResult(possible=False)
    references = []
    for checker in registry.conflict_checkers.values():
        reference = checker.check(offender, person)
        if reference:
            references.append(f"{checker.slug}:{reference}")
    return ConflictResult(possible=bool(references), references=tuple(references))
