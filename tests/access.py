"""Who may see what, declared once per model, for the URL walker (tests/core/test_access_walk.py).

The walker requests every URL pattern of the project as every role. A pattern's object kwarg
(``pk``, ``key``, ``slug``...) is filled with the records declared here for the model the view
works on, each record labelled, with the labels each role may see. Every label a role may not see
must answer 404 on every URL of that model (anonymous: a redirect to sign in); one label it may see
must answer 200 on the read pages.

How a new app declares its objects: add one entry to ``OBJECTS`` per model its URLs name::

    OBJECTS[Kennel] = Declared(
        build=lambda w: {"jccc": KennelFactory(facility=w.jccc), "acc": KennelFactory(facility=w.acc)},
        sees=FACILITY,
    )

``build(w)`` gets the shared ``world`` (two districts, two facilities, a user per role, the garden
world) and returns ``{label: record}``; ``sees`` maps a role (an attribute of ``world``, or
``"anonymous"``) to the labels it may see, or to ``EVERY`` label; a role left out sees none. The
model a URL's kwarg names is read from the view (``model``, ``queryset``, ``target_model`` or a DRF
viewset's ``queryset``); a view that does not say is listed in ``URL_TARGETS``. A pattern whose
kwarg has no declaration fails the walk, naming the pattern.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.choices import OffenderStatus

# The roles the walker signs in as (attributes of ``world``), then nobody signed in.
SIGNED_IN = ("admin", "auditor", "victims", "staff_jccc", "officer", "supervisor", "boards")
ANONYMOUS = "anonymous"
ROLES = (*SIGNED_IN, ANONYMOUS)

EVERY = "every label"


@dataclass(frozen=True)
class Declared:
    """Records of one model (or one kind of object a URL names) and who may see each."""

    build: Callable[[Any], dict[str, Any]]
    sees: Mapping[str, Any] | Callable[[], Mapping[str, Any]] = field(default_factory=dict)

    def visible(self, role: str, labels) -> set[str]:
        sees = self.sees() if callable(self.sees) else self.sees  # a callable: read when the walk runs
        seen = sees.get(role, ())
        return set(labels) if seen == EVERY else set(seen) & set(labels)


# Shared scope rules ----------------------------------------------------------------------------
# A facility's records (labels "jccc" and "acc"): its staff, administrators, auditors.
FACILITY = {"admin": EVERY, "auditor": EVERY, "staff_jccc": {"jccc"}}
# Catalogs and reference data: every signed-in role reads them.
EVERY_ROLE = dict.fromkeys(SIGNED_IN, EVERY)
ADMINISTRATORS = {"admin": EVERY}
# A person (labels below): officer.d9's caseload, officer2.d9's caseload (same district), a person
# supervised in district 10, a person held at JCCC.
PERSON = {
    "admin": EVERY,
    "auditor": EVERY,
    "victims": EVERY,
    "officer": {"caseload"},
    "supervisor": {"caseload", "colleague"},
    "boards": {"caseload", "colleague"},
    "staff_jccc": {"inmate"},
}
# Who may change a person: their officer, the district's supervisor, administrators (auditors read).
PERSON_CHANGE = {"admin": EVERY, "auditor": EVERY, "officer": {"caseload"}, "supervisor": {"caseload", "colleague"}}
# Money follows the person, and facility staff do not handle money.
MONEY = {role: labels for role, labels in PERSON.items() if role != "staff_jccc"}
# A person's restitution ledger: as money, but a board coordinator sees restitution only through a board
# agreement's condition (issue 15 item 9).
LEDGER = {role: labels for role, labels in MONEY.items() if role != "boards"}
# What payees are owed and paid: victim services, administrators, auditors.
MONEY_OUT = {"admin": EVERY, "auditor": EVERY, "victims": EVERY}
# A victim: victim services and administrators with identity, auditors without, the supervising
# officer of a person on one of the victim's cases without identity or contact; nobody else.
VICTIM = {"admin": EVERY, "auditor": EVERY, "victims": EVERY, "officer": {"caseload"}}
# A reparation board's records (labels "d9" and "d10"): its district's coordinator, administrators, auditors.
BOARD = {"admin": EVERY, "auditor": EVERY, "boards": {"d9"}}
# A victim's identity and contact, and what writes them: victim services and administrators only.
VICTIM_IDENTITY = {"admin": EVERY, "victims": EVERY}
# Notices to victims: victim services and administrators act on them, auditors read them.
NOTICES = {"admin": EVERY, "auditor": EVERY, "victims": EVERY}
# An impact statement: as a victim, and a board coordinator of the district sees one shared with a board.
STATEMENT = {
    "admin": EVERY,
    "auditor": EVERY,
    "victims": EVERY,
    "officer": {"caseload", "board"},
    "boards": {"board"},
}
# A class enrollment or attendance (labels jccc, acc, caseload, d10): facility staff where the class is,
# the district roles read their people's, administrators and auditors all.
CLASS_PERSON = {
    "admin": EVERY,
    "auditor": EVERY,
    "staff_jccc": {"jccc"},
    "officer": {"caseload"},
    "supervisor": {"caseload"},
    "boards": {"caseload"},
}
# Referrals: the facility's list (JCCC's staff see the JCCC one), and the district roles their people's.
CLASS_REFERRAL = CLASS_PERSON
# A person's class page: whoever may see the person (facility staff see their own inmates).
CLASS_PROGRESS = {**CLASS_PERSON, "staff_jccc": {"jccc"}}
SPEAKER = {"admin": EVERY, "victims": EVERY}
# Offerings and sessions: the facility's, and victim services read them (to book speakers).
CLASS_FACILITY = {**FACILITY, "victims": EVERY}
# Records each user owns (labels: the role that owns it, and "outsider"): their own, or every one.
OWN = {role: {role} for role in SIGNED_IN}
OWN_OR_STATEWIDE = {**OWN, "admin": EVERY, "auditor": EVERY}


def _victims(w) -> dict[str, Any]:
    return w.victims_by_case


def _notices(w) -> dict[str, Any]:
    """A letter owed to the caseload person's victim, made by the event handler from a real event."""
    if not hasattr(w, "notices"):
        from core.events import emit
        from victims.services import notifications_for_event

        victim = w.victims_by_case["caseload"]
        victim.statutory_category, victim.notify_by_mail = "domestic_assault", True
        victim.save(update_fields=["statutory_category", "notify_by_mail"])
        offender = victim.cases.get().offender
        event = emit(offender=offender, kind="status", before="supervised", after="discharged")
        w.notices = {"letter": notifications_for_event(event)[0]}
    return w.notices


def _conflicts(w) -> dict[str, Any]:
    from core.conflicts import PersonDetails
    from tests.factories.victims import PHONE
    from victims.conflicts import check
    from victims.models import ConflictMatch

    check(w.supervised, PersonDetails.of(name="Someone Else", phone=PHONE))
    return {"one": ConflictMatch.objects.get()}


def _statements(w) -> dict[str, Any]:
    return w.statements


def _attachments(w) -> dict[str, Any]:
    return w.attachments


def _people(w) -> dict[str, Any]:
    return {"caseload": w.supervised, "colleague": w.colleague_person, "d10": w.supervised_d10, "inmate": w.inmate}


def _progress_reports(w) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from core.models import ProgressReport

    made = {}
    for label, person in _people(w).items():
        report = ProgressReport(offender=person, as_of=dt.date(2026, 6, 1), produced_by=w.admin, size=9)
        report.file.save(f"walk-{label}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        report.save()
        made[label] = report
    return made


def _cases(w) -> dict[str, Any]:
    return {"caseload": w.case, "colleague": w.colleague_case, "d10": w.case_d10, "inmate": w.inmate_case}


def _owned(w, make) -> dict[str, Any]:
    owners = {role: getattr(w, role) for role in SIGNED_IN} | {"outsider": w.officer_d10}
    return {label: make(user, label) for label, user in owners.items()}


def extend_world(w):
    """The shared world plus the records every declaration builds on (called once per walk)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.models import BrochureBuild
    from tests.factories import CourtCaseFactory, OffenderFactory, OrganizationFactory
    from tests.factories.donations import ItemFactory
    from tests.factories.gardens import HarvestFactory, make_garden_world
    from tests.factories.restitution import obligation, pay

    make_garden_world(w)
    w.colleague_person = OffenderFactory(
        doc_id="1000004", status=OffenderStatus.SUPERVISED, district=w.d9, supervising_officer=w.officer2
    )
    w.colleague_case = CourtCaseFactory(offender=w.colleague_person, case_number="26AC-CR00004")
    w.inmate_case = CourtCaseFactory(offender=w.inmate, case_number="26AC-CR00003")
    w.harvest_jccc = HarvestFactory(garden=w.garden_jccc, crop=w.tomatoes, entered_by=w.staff_jccc)
    w.harvest_acc = HarvestFactory(garden=w.garden_acc, crop=w.squash, entered_by=w.staff_acc)
    w.d9_org = OrganizationFactory(name="Samaritan Center Food Pantry", kinds=["food_pantry"])
    w.quilt = ItemFactory(name="Quilt", estimated_value=Decimal("60.00"))
    w.obligations = {
        label: obligation(
            case, ordered_on=dt.date(2025, 12, 1), monthly_amount=Decimal("50"), first_due_on=dt.date(2026, 1, 15)
        )
        for label, case in _cases(w).items()
    }
    w.payments = {label: pay(person, "25.00", dt.date(2026, 1, 10)) for label, person in _people(w).items()}
    from tests.factories.victims import make_victim

    w.victims_by_case = {label: make_victim(cases=[case], user=w.victims) for label, case in _cases(w).items()}
    from tests.factories.victims import make_attachment, make_statement

    # "board": on the caseload's case too, shared with a board; the others for the court only.
    w.statements = {label: make_statement(v, user=w.victims) for label, v in w.victims_by_case.items()}
    w.statements["board"] = make_statement(w.victims_by_case["caseload"], user=w.victims, board_mode="written_shared")
    w.attachments = {label: make_attachment(s, user=w.victims) for label, s in w.statements.items()}
    from victims.services import court_section_produce

    w.sections = {label: court_section_produce(user=w.victims, case=case) for label, case in _cases(w).items()}
    # The nightly job has built the brochure once (else /brochure.pdf builds it on each walk).
    pdf = b"%PDF-1.4\n"
    BrochureBuild.objects.create(
        file=ContentFile(pdf, name="walk.pdf"), built_at=timezone.now(), pages=1, size=len(pdf)
    )
    return w


def _puppies(w):
    """Puppies for Parole: a shelter working with both facilities, a dog in training at each with its
    handlers, a log, a CGC attempt, a graduation, a violation, a removal, a task, applications and an adoption."""
    if hasattr(w, "pp"):
        return w
    import datetime as dt
    from decimal import Decimal

    from puppies import services as ps
    from puppies.models import ConductViolation, EligibilityRule
    from tests.factories import puppies as pf

    shelter = pf.shelter(w.jccc, w.acc, name="Walk Humane Society")
    pp = {"shelter": shelter}
    for label, site, staff in (("jccc", w.jccc, w.staff_jccc), ("acc", w.acc, w.staff_acc)):
        dog, people = pf.placed_dog(shelter, site, user=staff, released_for_adoption=True, name=f"Walk {label}")
        pf.approved_photo(dog, staff=staff, admin=w.admin)
        log = ps.training_log_record(
            user=staff, dog=dog, handler=people[0], date=dt.date(2026, 1, 20), skills="Sit", minutes=30
        )
        milestone = ps.milestone_record(user=staff, dog=dog, date=dt.date(2026, 1, 21), milestone="basic")
        attempt = pf.cgc(dog, user=staff, date=dt.date(2026, 1, 25))
        graduation = pf.graduate(dog, user=staff, date=dt.date(2026, 1, 26))
        violation = ConductViolation.objects.create(
            offender=people[1], facility=site, date=dt.date(2026, 1, 27), description="Late", entered_by=staff
        )
        removal = ps.program_remove(
            offender=people[0], facility=site, on=dt.date(2026, 1, 28), reason="Fight", user=staff
        )
        dog.refresh_from_db()
        app = pf.application(dog)
        adopted_dog, _ = pf.placed_dog(shelter, site, user=staff, handlers=False, released_for_adoption=True)
        pf.cgc(adopted_dog, user=staff, date=dt.date(2026, 1, 25))
        pf.graduate(adopted_dog, user=staff, date=dt.date(2026, 1, 29))
        adoption = pf.adopt(pf.application(adopted_dog), user=staff, fee=Decimal("50.00"))
        pp[label] = {
            "dog": dog,
            "vaccination": dog.vaccinations.get(),
            "movement": dog.movements.get(ended_on__isnull=True),
            "handler": dog.handlers.order_by("pk").first(),
            "log": log,
            "milestone": milestone,
            "cgc": attempt,
            "graduation": graduation,
            "violation": violation,
            "removal": removal,
            "task": dog.tasks.order_by("pk").first(),
            "application": app,
            "adoption": adoption,
        }
    held = pf.application(pp["jccc"]["dog"])
    type(held).objects.filter(pk=held.pk).update(conflict_reference="victims:C-WALK")
    pp["held"] = held
    unlisted, _ = pf.placed_dog(shelter, w.jccc, user=w.staff_jccc, handlers=False)
    pp["unlisted"] = unlisted
    pp["rule"] = EligibilityRule.objects.create(
        effective_on=dt.date(2026, 1, 1), excluded_offenses="animal cruelty", conduct_days=180
    )
    w.pp = pp
    return w


def _pp(key):
    def build(w):
        pp = _puppies(w).pp
        return {label: pp[label][key] for label in ("jccc", "acc")}

    return build


def _applications(w):
    pp = _puppies(w).pp
    return {"jccc": pp["jccc"]["application"], "acc": pp["acc"]["application"], "held": pp["held"]}


def _public_dogs(w):
    pp = _puppies(w).pp
    return {"listed": pp["jccc"]["dog"], "unlisted": pp["unlisted"]}


# Builders ----------------------------------------------------------------------------------------
def _allocations(w):
    from restitution.models import Allocation

    return {label: Allocation.objects.filter(payment=p).first() for label, p in w.payments.items()}


def _disbursements(w):
    from restitution.models import Disbursement
    from tests.factories.restitution import PayeeFactory

    return {
        "one": Disbursement.objects.create(
            payee=PayeeFactory(), disbursed_on=dt.date(2026, 2, 1), reference="CHK 1001", amount=Decimal("25.00")
        )
    }


def _service(w):
    """Community service: one agency, and an order, a placement and a verified hour log per person."""
    if not hasattr(w, "cs_orders"):
        from tests.factories.community_service import AgencyFactory, OrderFactory, log, placement

        w.cs_agency = AgencyFactory()
        w.cs_orders = {label: OrderFactory(case=case) for label, case in _cases(w).items()}
        w.cs_placements = {label: placement(person, w.cs_agency, user=w.admin) for label, person in _people(w).items()}
        w.cs_logs = {
            label: log(w.cs_orders[label], place, dt.date(2026, 2, 2), user=w.admin)
            for label, place in w.cs_placements.items()
        }
    return w


def _boards(w):
    """Reparation boards: one in district 9 (coordinator boards.d9) and one in district 10, each with a
    member, an accepted referral (officer.d9's person in district 9), a meeting and an agreement."""
    if hasattr(w, "bd"):
        return w
    from boards import services as bs
    from core.choices import Role
    from tests.factories import UserFactory
    from tests.factories import boards as bf

    coordinator_d10 = UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=w.d10)
    w.bd = {}
    for label, district, coordinator, case in (
        ("d9", w.d9, w.boards, w.case),
        ("d10", w.d10, coordinator_d10, w.case_d10),
    ):
        board = bf.board(district, coordinator, quorum=1, name=f"Walk board {label}")
        member = bf.member(board, user=coordinator)
        referral = bf.accepted(board, case, user=coordinator)
        meeting = bs.meeting_record(
            user=coordinator, referral=referral, date=dt.date(2026, 2, 20), place="Library", present=[member]
        )
        agreement = bs.agreement_approve(user=coordinator, meeting=meeting, conditions=bf.conditions())
        for key, record in (
            ("board", board),
            ("member", member),
            ("referral", referral),
            ("meeting", meeting),
            ("agreement", agreement),
        ):
            w.bd.setdefault(key, {})[label] = record
    return w


def _bd(key):
    return lambda w: _boards(w).bd[key]


def _classes(w):
    """Two classes (JCCC, ACC); enrollments of the JCCC inmate, an ACC inmate, officer.d9's person and a
    district 10 person, each marked present at the first session; a speaker booked at each facility; a
    referral per label; one completed enrollment (its certificate)."""
    if not hasattr(w, "cl_enrollments"):
        from classes import services as cl
        from classes.models import Speaker
        from tests.factories import OffenderFactory
        from tests.factories.classes import enroll, mark, offering

        w.cl_offerings = {"jccc": offering(w.jccc), "acc": offering(w.acc, title="ACC class")}
        acc_inmate = OffenderFactory(
            doc_id="1000005", status=OffenderStatus.INCARCERATED, facility=w.acc, district=None
        )
        people = {"jccc": w.inmate, "acc": acc_inmate, "caseload": w.supervised, "d10": w.supervised_d10}
        w.cl_enrollments = {
            label: enroll(w.cl_offerings["jccc" if label == "jccc" else "acc"], person)
            for label, person in people.items()
        }
        w.cl_attendance = {
            label: mark(e.offering.sessions.order_by("date").first(), e.offender, user=w.admin)
            for label, e in w.cl_enrollments.items()
        }
        w.cl_speaker = Speaker(name="Walk Speaker", phone="(573) 555-0000")
        w.cl_speaker.save()
        w.cl_bookings = {
            label: cl.speaker_book(user=w.admin, speaker=w.cl_speaker, session=o.sessions.order_by("date").last())
            for label, o in w.cl_offerings.items()
        }
        waiting = OffenderFactory(doc_id="1000006", status=OffenderStatus.INCARCERATED, facility=w.jccc, district=None)
        w.cl_referrals = {
            "jccc": cl.referral_create(user=w.staff_jccc, offender=waiting, facility=w.jccc, source="facility"),
            "acc": cl.referral_create(user=w.admin, offender=acc_inmate, facility=w.acc, source="facility"),
            "caseload": cl.referral_create(user=w.officer, offender=w.supervised, facility=w.acc, source="officer"),
            "d10": cl.referral_create(user=w.admin, offender=w.supervised_d10, facility=w.acc, source="officer"),
        }
        done_person = OffenderFactory(
            doc_id="1000007", status=OffenderStatus.INCARCERATED, facility=w.jccc, district=None
        )
        done_class = offering(w.jccc, title="Finished class")
        done = enroll(done_class, done_person)
        for session in done_class.sessions.all():
            mark(session, done_person, user=w.admin)
        w.cl_certificate = cl.enrollment_complete(enrollment=done, user=w.admin, on=dt.date(2026, 6, 1))
    return w


def _class_enrollments(w):
    return _classes(w).cl_enrollments


def _verification_link(w):
    from types import SimpleNamespace

    from community_service.services import verification_link_send, verification_token
    from tests.factories.community_service import log

    _service(w)
    log(w.cs_orders["caseload"], w.cs_placements["caseload"], dt.date(2026, 2, 3), user=w.admin, verified=False)
    link = verification_link_send(agency=w.cs_agency, user=w.admin)
    return {"one": SimpleNamespace(token=verification_token(link))}


def _statement_link(w):
    from types import SimpleNamespace

    from victims.services import submission_link_create, submission_token

    victim = w.victims_by_case["caseload"]
    link, _url = submission_link_create(user=w.victims, victim=victim, case=victim.cases.get(), language="en")
    return {"one": SimpleNamespace(token=submission_token(link))}


def _payees(w):
    from tests.factories.restitution import PayeeFactory

    return {"one": PayeeFactory(name="A victim")}


def _alerts(w):
    from core.models import Alert
    from restitution.services import ALERT_PREFIX  # the API lists restitution's alerts

    return _owned(
        w, lambda user, label: Alert.objects.create(user=user, title=f"For {label}", key=f"{ALERT_PREFIX}walk:{label}")
    )


def _imports(w):
    from core.models import ImportBatch

    return _owned(
        w,
        lambda user, label: ImportBatch.objects.create(
            kind="harvests", filename=f"{label}.csv", content="date,crop\n", uploaded_by=user
        ),
    )


def _generated(w):
    from reports.models import GeneratedReport

    return _owned(
        w,
        lambda user, label: GeneratedReport.objects.create(slug="walk", title=f"Of {label}", fmt="csv", user=user),
    )


def _photo(user, target, caption="A garden in July"):
    from reports.services import photo_upload
    from tests.factories.reports import jpeg_with_gps

    return photo_upload(user=user, target=target, data=jpeg_with_gps(size=(64, 48)), alt_text=caption)


def _photos(w):
    return {
        "jccc": _photo(w.staff_jccc, w.harvest_jccc),
        "acc": _photo(w.staff_acc, w.harvest_acc),
        "officer_own": _photo(w.officer, w.d9_org),
    }


def _public_photos(w):
    from reports.services import photo_review

    approved = _photo(w.staff_jccc, w.harvest_jccc, "Tomatoes on the vine")
    approved = photo_review(
        photo=approved, user=w.admin, approve=True, consent_confirmed=True, caption="", alt_text=approved.alt_text
    )
    return {"approved": approved, "pending": _photo(w.staff_jccc, w.harvest_jccc, "Not reviewed yet")}


def _reports(w):
    """Report catalog entries (not rows): their slugs, with the roles each declares."""
    from core.registry import registry

    return {entry.slug: entry for entry in registry.reports.values()}


def _report_sees():
    from core.choices import Role
    from core.registry import registry

    role_of = {
        "admin": Role.ADMINISTRATOR,
        "auditor": Role.AUDITOR,
        "victims": Role.VICTIM_SERVICES,
        "staff_jccc": Role.FACILITY_STAFF,
        "officer": Role.PROBATION_OFFICER,
        "supervisor": Role.DISTRICT_SUPERVISOR,
        "boards": Role.BOARD_COORDINATOR,
    }
    return {
        # An entry not listed (the large list export) runs only from its list, never from the report page.
        role: {
            slug
            for slug, entry in registry.reports.items()
            if entry.listed and (not entry.roles or value in entry.roles)
        }
        for role, value in role_of.items()
    }


def _facility_records(factory, **each):
    def build(w):
        return {label: factory(**{k: v(w, label) for k, v in each.items()}) for label in ("jccc", "acc")}

    return build


def _site(w, label):
    return w.jccc if label == "jccc" else w.acc


def _staff(w, label):
    return w.staff_jccc if label == "jccc" else w.staff_acc


def _declarations() -> dict[Any, Declared]:
    from boards import models as bm
    from classes.models import (
        Attendance,
        CurriculumVersion,
        Enrollment,
        Offering,
        Referral,
        ScheduledSession,
        Speaker,
        SpeakerBooking,
        Topic,
    )
    from community_service.models import Agency, HourLog, HourValueRate, Order, Placement
    from core.models import (
        Alert,
        CourtCase,
        District,
        Facility,
        ImportBatch,
        JobRun,
        Offender,
        Organization,
        ProgressReport,
        User,
    )
    from donations.models import Donation, Fundraiser, FundraiserPurchase, Item, ProductionLog, Spoilage
    from gardens.models import Crop, Garden, Harvest, Season
    from puppies import models as pm
    from reports.models import BrochureBlock, FigureBaseline, GeneratedReport, Photo
    from restitution.models import Allocation, Disbursement, Obligation, Payee, Payment
    from tests.factories.donations import (
        DonationFactory,
        FundraiserFactory,
        FundraiserPurchaseFactory,
        ProductionLogFactory,
        SpoilageFactory,
    )
    from tests.factories.reports import BrochureBlockFactory, FigureBaselineFactory
    from victims.models import (
        ConflictMatch,
        CourtReportSection,
        ImpactStatement,
        Notification,
        StatementAttachment,
        Victim,
    )

    users = (*SIGNED_IN, "officer_d10")  # each role's own account, and one in another district
    district_staff = {"officer", "supervisor", "boards"}
    return {
        # core
        District: Declared(lambda w: {"d9": w.d9, "d10": w.d10}, EVERY_ROLE),
        Facility: Declared(lambda w: {"jccc": w.jccc, "acc": w.acc}, {**EVERY_ROLE, "staff_jccc": {"jccc"}}),
        Organization: Declared(lambda w: {"one": w.d9_org}, EVERY_ROLE),
        Offender: Declared(_people, PERSON),
        CourtCase: Declared(_cases, PERSON),
        User: Declared(
            lambda w: {name: getattr(w, name) for name in users},
            {**{role: {role} for role in SIGNED_IN}, "admin": EVERY, "auditor": EVERY, "supervisor": district_staff},
        ),
        ImportBatch: Declared(_imports, OWN_OR_STATEWIDE),
        Alert: Declared(_alerts, OWN),
        # A kept progress report (printed by an administrator): whoever may change the person, auditors.
        ProgressReport: Declared(_progress_reports, PERSON_CHANGE),
        # A run left "running" by a process that stopped (its lock is free): administrators close it.
        JobRun: Declared(
            lambda w: {"one": JobRun.objects.create(job="supervision_review", run_date=dt.date(2026, 1, 5))},
            {"admin": EVERY, "auditor": EVERY},
        ),
        # gardens
        Garden: Declared(lambda w: {"jccc": w.garden_jccc, "acc": w.garden_acc}, FACILITY),
        Harvest: Declared(lambda w: {"jccc": w.harvest_jccc, "acc": w.harvest_acc}, FACILITY),
        Crop: Declared(lambda w: {"one": w.tomatoes}, EVERY_ROLE),
        Season: Declared(lambda w: {"one": w.season}, EVERY_ROLE),
        # donations
        Item: Declared(lambda w: {"one": w.quilt}, EVERY_ROLE),
        ProductionLog: Declared(
            _facility_records(ProductionLogFactory, facility=_site, entered_by=_staff, item=lambda w, _: w.quilt),
            FACILITY,
        ),
        Spoilage: Declared(
            _facility_records(SpoilageFactory, facility=_site, entered_by=_staff, crop=lambda w, _: w.tomatoes),
            FACILITY,
        ),
        Donation: Declared(
            _facility_records(DonationFactory, facility=_site, entered_by=_staff, recipient=lambda w, _: w.d9_org),
            FACILITY,
        ),
        Fundraiser: Declared(_facility_records(FundraiserFactory, facility=_site), FACILITY),
        FundraiserPurchase: Declared(
            _facility_records(
                FundraiserPurchaseFactory,
                fundraiser=lambda w, label: FundraiserFactory(facility=_site(w, label)),
                recipient=lambda w, _: w.d9_org,
            ),
            FACILITY,
        ),
        # restitution
        Obligation: Declared(lambda w: w.obligations, LEDGER),
        Payment: Declared(lambda w: w.payments, LEDGER),
        Allocation: Declared(_allocations, LEDGER),
        Payee: Declared(_payees, MONEY_OUT),
        Disbursement: Declared(_disbursements, MONEY_OUT),
        "restitution page of a person": Declared(_people, LEDGER),
        # community service: agencies are a statewide catalog; orders, placements and hours follow the person
        Agency: Declared(
            lambda w: {"one": _service(w).cs_agency}, {role: EVERY for role in SIGNED_IN if role != "staff_jccc"}
        ),
        Order: Declared(lambda w: _service(w).cs_orders, MONEY),
        Placement: Declared(lambda w: _service(w).cs_placements, MONEY),
        HourLog: Declared(lambda w: _service(w).cs_logs, MONEY),
        "community service page of a person": Declared(_people, MONEY),
        HourValueRate: Declared(
            lambda w: {
                "one": HourValueRate.objects.create(effective_on=dt.date(2026, 1, 1), dollars_per_hour=Decimal("13.75"))
            },
            EVERY_ROLE,
        ),
        # An agency's verification link: anyone holding it (no account) opens it.
        "verification link": Declared(_verification_link, dict.fromkeys(ROLES, EVERY)),
        # classes: offerings and sessions are their facility's; enrollments, attendance and referrals are
        # the facility's and, read only, the district roles' for the people they may see; speakers' names
        # are for victim services and administrators only.
        Topic: Declared(lambda w: {"one": _classes(w).cl_offerings["jccc"].sessions.first().topic}, EVERY_ROLE),
        CurriculumVersion: Declared(lambda w: {"one": _classes(w).cl_offerings["jccc"].version}, EVERY_ROLE),
        Offering: Declared(lambda w: _classes(w).cl_offerings, CLASS_FACILITY),
        ScheduledSession: Declared(
            lambda w: {label: o.sessions.first() for label, o in _classes(w).cl_offerings.items()}, CLASS_FACILITY
        ),
        Enrollment: Declared(_class_enrollments, CLASS_PERSON),
        Attendance: Declared(lambda w: _classes(w).cl_attendance, CLASS_PERSON),
        Referral: Declared(lambda w: _classes(w).cl_referrals, CLASS_REFERRAL),
        "class progress of a person": Declared(
            lambda w: {label: e.offender for label, e in _class_enrollments(w).items()}, CLASS_PROGRESS
        ),
        Speaker: Declared(lambda w: {"one": _classes(w).cl_speaker}, SPEAKER),
        SpeakerBooking: Declared(
            lambda w: _classes(w).cl_bookings, {**SPEAKER, "auditor": EVERY, "staff_jccc": {"jccc"}}
        ),
        # A certificate's code: anyone holding it (no account) checks it.
        "class certificate": Declared(lambda w: {"one": _classes(w).cl_certificate}, dict.fromkeys(ROLES, EVERY)),
        # reports
        GeneratedReport: Declared(_generated, {**OWN, "admin": EVERY}),
        Photo: Declared(
            _photos, {"admin": EVERY, "auditor": EVERY, "staff_jccc": {"jccc"}, "officer": {"officer_own"}}
        ),
        "public photo": Declared(_public_photos, {key: {"approved"} for key in ROLES}),
        BrochureBlock: Declared(lambda w: {"one": BrochureBlockFactory(key="walk-block")}, ADMINISTRATORS),
        FigureBaseline: Declared(lambda w: {"one": FigureBaselineFactory()}, ADMINISTRATORS),
        "report": Declared(_reports, _report_sees),
        # victims
        Victim: Declared(_victims, VICTIM),
        "victim to edit": Declared(_victims, VICTIM_IDENTITY),
        ConflictMatch: Declared(_conflicts, VICTIM_IDENTITY),
        ImpactStatement: Declared(_statements, STATEMENT),
        "statement to add to": Declared(_statements, VICTIM_IDENTITY),
        StatementAttachment: Declared(_attachments, STATEMENT),
        CourtReportSection: Declared(lambda w: w.sections, VICTIM),
        "victims of a case": Declared(_cases, VICTIM),
        Notification: Declared(_notices, NOTICES),
        # A victim's statement link: anyone holding it (no account) opens it.
        "statement link": Declared(_statement_link, dict.fromkeys(ROLES, EVERY)),
        "notification letter": Declared(_notices, VICTIM_IDENTITY),
        # puppies: a facility's dogs and what belongs to them; applications and adoptions for program staff only
        pm.Shelter: Declared(
            lambda w: {"one": _puppies(w).pp["shelter"]}, {"admin": EVERY, "auditor": EVERY, "staff_jccc": EVERY}
        ),
        pm.Dog: Declared(_pp("dog"), FACILITY),
        pm.Vaccination: Declared(_pp("vaccination"), FACILITY),
        pm.Movement: Declared(_pp("movement"), FACILITY),
        pm.HandlerAssignment: Declared(_pp("handler"), FACILITY),
        pm.TrainingLog: Declared(_pp("log"), FACILITY),
        pm.CgcAttempt: Declared(_pp("cgc"), FACILITY),
        pm.TrainingMilestone: Declared(_pp("milestone"), FACILITY),
        pm.Graduation: Declared(_pp("graduation"), FACILITY),
        pm.ConductViolation: Declared(_pp("violation"), FACILITY),
        pm.ProgramRemoval: Declared(_pp("removal"), FACILITY),
        pm.HandlerTask: Declared(_pp("task"), FACILITY),
        pm.EligibilityRule: Declared(
            lambda w: {"one": _puppies(w).pp["rule"]}, {"admin": EVERY, "auditor": EVERY, "staff_jccc": EVERY}
        ),
        pm.AdoptionApplication: Declared(
            _applications, {"admin": EVERY, "staff_jccc": {"jccc", "held"}, "victims": {"held"}}
        ),
        pm.Adoption: Declared(_pp("adoption"), {"admin": EVERY, "staff_jccc": {"jccc"}}),
        # The public dog pages: a dog released, with a bio and an approved photo, is public; another is not.
        "public dog": Declared(_public_dogs, {key: {"listed"} for key in ROLES}),
        # boards: coordinators their district's boards; administrators and auditors all; members' contact for
        # coordinators and administrators only; officers read the referrals of their caseload
        bm.Board: Declared(_bd("board"), BOARD),
        bm.Member: Declared(_bd("member"), {"admin": EVERY, "boards": {"d9"}}),
        bm.BoardReferral: Declared(_bd("referral"), {**BOARD, "officer": {"d9"}}),
        bm.Meeting: Declared(_bd("meeting"), BOARD),
        bm.Agreement: Declared(_bd("agreement"), BOARD),
        bm.Condition: Declared(
            lambda w: {k: a.conditions.order_by("pk").first() for k, a in _boards(w).bd["agreement"].items()}, BOARD
        ),
    }


@dataclass(frozen=True)
class Target:
    """For a view that does not name its model: what its kwargs name, and whether it is a read page."""

    key: Any
    kwargs: Mapping[str, str] = field(default_factory=lambda: {"pk": "pk"})
    read: bool = False


def url_targets() -> dict[str, Target]:
    from boards.models import Agreement, Board, BoardReferral, Condition, Meeting, Member
    from classes.models import CurriculumVersion, Enrollment, Offering, Referral, ScheduledSession, SpeakerBooking
    from community_service.models import Agency, HourLog, Order
    from core.models import ImportBatch, Offender, User
    from donations.models import Donation
    from gardens.models import Harvest
    from reports.models import GeneratedReport, Photo
    from restitution.models import Payment
    from victims.models import (
        ConflictMatch,
        CourtReportSection,
        ImpactStatement,
        Notification,
        StatementAttachment,
        Victim,
    )

    return {
        "boards:referral_decide": Target(BoardReferral),  # POST only
        "boards:member_remove": Target(Member),  # POST only
        "boards:member_conflict": Target(Member),  # POST only
        "boards:board_bylaws": Target(Board),  # the file, where there is one; POST: the upload
        "boards:board_calendar": Target(Board, read=True),  # the month: meetings, reviews and dates due
        "boards:condition_record": Target(Condition),  # POST only
        "boards:condition_evidence": Target(Condition),  # the file, where there is one
        "boards:refer": Target(Offender),  # a person the user may see, for those who may refer
        "boards:meeting_run": Target(BoardReferral),  # an accepted referral's, for the coordinator
        "boards:meeting_agreement": Target(Meeting),  # a first meeting without its agreement yet
        "boards:agreement_sign": Target(Agreement),  # an active agreement's steps, for the coordinator
        "boards:agreement_review": Target(Agreement),
        "boards:agreement_close": Target(Agreement),
        "boards:meeting_packet": Target(Meeting, read=True),
        "boards:agreement_pdf": Target(Agreement, read=True),
        "boards:agreement_letter": Target(Agreement),  # a closed agreement's only
        "classes:person": Target("class progress of a person", read=True),
        "classes:verify": Target("class certificate", {"code": "certificate_code"}, read=True),
        "classes:offering_enroll": Target(Offering),  # POST only
        "classes:offering_schedule": Target(Offering),  # those who may change the offering
        "classes:curriculum_revise": Target(CurriculumVersion),  # administrators, the latest version only
        "classes:session_mark": Target(ScheduledSession),  # POST only
        "classes:session_not_held": Target(ScheduledSession),  # POST only
        "classes:session_makeup": Target(ScheduledSession),  # POST only
        "classes:session_book_speaker": Target(ScheduledSession),  # POST only
        "classes:booking_clear": Target(SpeakerBooking),  # POST only
        "classes:referral_cancel": Target(Referral),  # POST only
        "classes:enrollment_complete": Target(Enrollment),  # POST only
        "classes:enrollment_end": Target(Enrollment),  # POST only
        "classes:enrollment_test": Target(Enrollment),  # POST only
        "classes:enrollment_certificate": Target(Enrollment),  # a completed enrollment's only
        "core:user_password": Target(User),
        "core:user_two_factor_reset": Target(User),
        "core:import_preview": Target(ImportBatch, read=True),
        "core:import_discard": Target(ImportBatch),  # POST only
        "core:offender_parole_hearing_add": Target(Offender),
        "core:offender_progress": Target(Offender),  # POST only
        "restitution:offender": Target("restitution page of a person", read=True),
        "community_service:offender": Target("community service page of a person", read=True),
        "community_service:agency_send_link": Target(Agency),  # POST only
        "community_service:order_close": Target(Order),
        "community_service:order_letter": Target(Order),  # a completed order's only
        "community_service:hourlog_verify": Target(HourLog),  # pending logs only (the walk's are verified)
        "community_service:hourlog_sheet": Target(HourLog),  # a file, where there is one
        "community_service:verify": Target("verification link", {"token": "token"}, read=True),
        "restitution:payment_receipt": Target(Payment, read=True),
        "donations:donation_receipt": Target(Donation, read=True),
        # A harvest's garden and day: who worked that day, for those who may change the day's harvests.
        "gardens:harvest_day_workers": Target(Harvest, {"garden": "garden_id", "date": "date"}),
        "reports:generated_detail": Target(GeneratedReport, {"key": "key"}, read=True),
        "reports:generated_download": Target(GeneratedReport, {"key": "key"}),  # 404 until the file is ready
        "reports:photo_detail": Target(Photo, read=True),
        "reports:photo_image": Target(Photo, read=True),
        "reports:photo_image_size": Target(Photo, read=True),
        "reports:public_photo": Target("public photo", {"key": "key"}, read=True),
        "reports:public_photo_thumb": Target("public photo", {"key": "key"}, read=True),
        "reports:run": Target("report", {"slug": "slug"}, read=True),
        # A photo onto any record that takes photos: walked with every declared model that does.
        "victims:victim_detail": Target(Victim, read=True),
        "victims:victim_edit": Target("victim to edit", read=True),
        "victims:case_victims": Target("victims of a case", read=True),
        "victims:conflictmatch_detail": Target(ConflictMatch, read=True),
        "victims:statement_detail": Target(ImpactStatement, read=True),
        "victims:statement_add": Target("victim to edit", read=True),
        "victims:payee_link": Target("victim to edit", read=True),
        "victims:loss_add": Target("statement to add to", read=True),
        "victims:statement_edit": Target("statement to add to", read=True),
        "victims:attachment_add": Target("statement to add to", read=True),
        "victims:attachment_download": Target(StatementAttachment, read=True),
        "victims:section_pdf": Target(CourtReportSection, read=True),
        "victims:notification_detail": Target(Notification, read=True),
        "victims:submission_link_add": Target("victim to edit", read=True),
        "victims:statement_accept": Target("statement to add to"),  # POST only
        "victims:submission": Target("statement link", {"token": "token"}, read=True),
        "victims:notification_letter": Target("notification letter", read=True),
        "reports:photo_upload": Target(photo_targets, {"app_model": "_meta.label_lower", "object_id": "pk"}),
        "puppies_public:dog_page": Target("public dog", read=True),
        "puppies_public:apply": Target("public dog", read=True),
    }


# Kwargs that name no record: the one value the walker gives them.
CONSTANTS = {"format": "json", "kind": "produce", "size": "thumb"}

# Public pages: anyone may open them (the rest send a visitor to sign in).
PUBLIC_URLS = {
    "healthz",
    "readyz",
    "login",
    "api-schema",
    "api-docs",
    "reports:brochure_pdf",
    "reports:public_home",
    "reports:public_gallery",
    "reports:public_photo",
    "reports:public_photo_thumb",
    "community_service:verify",
    "victims:submission",
    "puppies_public:dog_list",
    "puppies_public:dog_page",
    "puppies_public:apply",
    "puppies_public:applied",
    "classes:verify",
}


OBJECTS: dict[Any, Declared] = {}


def photo_targets() -> list[type]:
    """The declared models a photo may be attached to (the reports app decides which)."""
    from reports.services import photo_target_allowed

    return [key for key in objects() if isinstance(key, type) and photo_target_allowed(key)]


def objects() -> dict[Any, Declared]:
    if not OBJECTS:
        OBJECTS.update({k: v for k, v in _declarations().items() if not str(k).startswith("_")})
    return OBJECTS
