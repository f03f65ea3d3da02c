from .events import OffenderEvent, OffenderEventDelivery, ParoleHearing
from .ops import Alert, AuditEvent, ImportBatch, JobRun
from .people import CourtCase, Offender, User
from .places import District, Facility, Organization, OrganizationKind
from .restorative import ProgressReport, Readiness

__all__ = [
    "Alert",
    "AuditEvent",
    "CourtCase",
    "District",
    "Facility",
    "ImportBatch",
    "JobRun",
    "Offender",
    "OffenderEvent",
    "OffenderEventDelivery",
    "Organization",
    "OrganizationKind",
    "ParoleHearing",
    "ProgressReport",
    "Readiness",
    "User",
]
