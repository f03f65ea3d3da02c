"""Writes with rules: generated reports, the brochure build, photos and their review."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import traceback
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import audit_log
from core.choices import Role
from core.pdf import generated_stamp, render_document
from core.querysets import VIEW
from core.registry import ReportEntry, registry

from . import conf
from .catalog import build_context, parameter_form, params_querydict, render_output, report_params
from .choices import FILE_FORMATS, PhotoStatus, ReportStatus
from .images import clean_image
from .models import BrochureBuild, GeneratedReport, Photo
from .sections import ADDRESS
from .selectors import figure_values, private_text_problems, public_photos, sections

log = logging.getLogger(__name__)


# Generated reports ----------------------------------------------------------------------------------
@transaction.atomic
def generated_report_create(
    *, user, entry: ReportEntry, fmt: str, data: dict, parameters: str = "", title: str = ""
) -> GeneratedReport:
    """Store the request for a large report and queue its task once the row is committed (``title``: the
    entry's unless given, as a list export names its list)."""
    if fmt not in FILE_FORMATS:
        raise ValueError(f"A generated report is a file: {fmt!r} is not one of {FILE_FORMATS}")
    report = GeneratedReport(
        slug=entry.slug,
        title=(title or entry.title)[:200],
        fmt=fmt,
        params={k: v for k, v in data.items() if k not in ("format", "csrfmiddlewaretoken")},
        params_display=parameters,
        user=user,
    )
    report.full_clean()
    report.save()
    from .tasks import generate_report

    transaction.on_commit(lambda: generate_report.delay(report.pk))
    return report


def _set_progress(report_id: int, percent: int, note: str = "") -> None:
    GeneratedReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
        progress=max(0, min(99, percent)), progress_note=note[:200]
    )


def generated_report_run(*, report_id: int) -> GeneratedReport | None:
    """Build one queued report as its owner and store the file. Idempotent: a row runs once.

    The row is claimed with a conditional update, so a task delivered twice builds the file once.
    Progress is written to the row as the build goes (5% claimed, 5-85% building, 90% rendering).
    """
    claimed = GeneratedReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=timezone.now(), progress=2, progress_note="Starting"
    )
    if not claimed:
        return None
    report = GeneratedReport.objects.select_related("user").get(pk=report_id)
    try:
        entry = registry.reports.get(report.slug)
        if entry is None:
            raise LookupError(f"The report {report.slug!r} is no longer in the catalog.")
        data = params_querydict(report.params)
        form = parameter_form(entry, report.user, data=data)
        if not form.is_valid():
            raise ValueError(f"The parameters are no longer valid: {form.errors.as_text()}")
        params = report_params(entry, form, data)

        def progress(done, total=None, note: str = ""):
            if total:
                _set_progress(report_id, 5 + int(80 * min(done, total) / total), note or f"{done:,} of {total:,}")
            else:
                _set_progress(report_id, 5, str(done))

        _set_progress(report_id, 5, "Reading the records")
        context = build_context(entry, report.user, params, progress=progress)
        _set_progress(report_id, 88, "Rendering")
        output = render_output(
            entry,
            report.user,
            context,
            report.fmt,
            parameters=report.params_display,
            progress=lambda note: _set_progress(report_id, 90, note),
        )
        report.file.save(output.filename, ContentFile(output.content), save=False)
        now = timezone.now()
        report.status = ReportStatus.READY
        report.progress = 100
        report.progress_note = "Ready"
        report.rows = output.rows
        report.size = len(output.content)
        report.finished_at = now
        report.expires_at = now + dt.timedelta(days=conf.keep_days())
        report.save()
    except Exception:
        log.exception("Generated report %s failed", report_id)
        GeneratedReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            finished_at=timezone.now(),
            progress_note="Failed",
            error=traceback.format_exc()[-4000:],
        )
        report.refresh_from_db()
    return report


def generated_reports_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the files of generated reports past their expiry; fail runs abandoned past the time limit."""
    now = now or timezone.now()
    expired = 0
    for report in GeneratedReport.objects.filter(status=ReportStatus.READY, expires_at__lte=now).only("pk", "file"):
        if report.file:
            report.file.delete(save=False)
        GeneratedReport.objects.filter(pk=report.pk, status=ReportStatus.READY).update(
            status=ReportStatus.EXPIRED, file="", progress_note="Expired: the file was deleted"
        )
        expired += 1
    stale = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    GeneratedReport.objects.filter(
        Q(status=ReportStatus.RUNNING, started_at__lt=stale) | Q(status=ReportStatus.QUEUED, created_at__lt=stale)
    ).update(status=ReportStatus.FAILED, finished_at=now, error="Abandoned: it ran past the time limit.")
    return expired


# Brochure ---------------------------------------------------------------------------------------
# Type sizes (points) tried for each brochure page, largest first: the page gets the largest that fits.
BROCHURE_SIZES = (
    Decimal("10.5"),
    Decimal("10"),
    Decimal("9.5"),
    Decimal("9"),
    Decimal("8.5"),
    Decimal("8"),
    Decimal("7.5"),
    Decimal("7"),
)


def _data_uri(field_file) -> str:
    with field_file.open("rb") as f:
        return "data:image/jpeg;base64," + base64.b64encode(f.read()).decode("ascii")


def _weight(section) -> int:
    """Roughly how tall a section prints: its text, its list items and its figures."""
    body = section.body or ""
    return 120 + len(body) + 40 * body.count("\n- ") + 90 * len(section.shown_figures)


def _two_columns(page_sections) -> list[list]:
    """The page's program sections in reading order, cut into two columns of about equal height."""
    items = [s for s in page_sections if s.key not in ("intro", "contact")]
    if len(items) < 2:
        return [items, []]
    total = sum(_weight(s) for s in items)
    best, running = 1, 0
    best_gap = total
    for i, section in enumerate(items[:-1], start=1):
        running += _weight(section)
        gap = abs(total - 2 * running)
        if gap < best_gap:
            best, best_gap = i, gap
    return [items[:best], items[best:]]


def brochure_context(*, now=None) -> dict:
    now = timezone.localtime(now)
    values = figure_values()
    all_sections = sections(figures=values)
    photos = list(public_photos().filter(on_brochure=True)[: conf.BROCHURE_PHOTOS])
    highlights = [s.shown_figures[0] for s in all_sections if s.is_program and s.has_data][:4]
    front = [s for s in all_sections if s.page == 1]
    back = [s for s in all_sections if s.page == 2]
    return {
        "front": front,
        "back": back,
        "front_columns": _two_columns(front),
        "back_columns": _two_columns(back),
        "highlights": highlights,
        # Half the photos close the front page, the rest the back page.
        "front_photos": [{"photo": p, "src": _data_uri(p.thumbnail)} for p in photos[: (len(photos) + 1) // 2]],
        "back_photos": [{"photo": p, "src": _data_uri(p.thumbnail)} for p in photos[(len(photos) + 1) // 2 :]],
        "built_at": now,
        "generated_stamp": generated_stamp(now),
        "address": ADDRESS,
        "figures": values,
    }


BROCHURE_SIZES_KEY = "reports:brochure-sizes"


def _page_fit(context: dict, page: int, start: int) -> tuple[int, int, bytes]:
    """The largest type size at which one page of the brochure fits on one sheet: (its index in
    ``BROCHURE_SIZES``, the pages it took, the PDF of that page). The search starts at ``start``, the
    size the last build chose: if the page still fits there, a larger size is tried while it fits;
    otherwise smaller ones until it fits (the smallest in any case). Usually two layouts."""

    def lay(i: int):
        size = BROCHURE_SIZES[i]
        return render_document(
            "reports/print/brochure.html", {**context, "only_page": page, "front_pt": size, "back_pt": size}
        )

    i, document = start, lay(start)
    if len(document.pages) == 1:
        while i > 0:
            larger = lay(i - 1)
            if len(larger.pages) != 1:
                break
            i, document = i - 1, larger
    else:
        while i < len(BROCHURE_SIZES) - 1 and len(document.pages) != 1:
            i += 1
            document = lay(i)
    return i, len(document.pages), document.write_pdf()


def brochure_render(context: dict) -> tuple[bytes, int, Decimal]:
    """Lay the brochure out on two US Letter pages, each in the largest type that fits it.

    The two pages are fitted side by side (``core.pdf.side_by_side``: the back page in a forked child),
    each starting from the size the last build chose (kept in the cache: a hint, not a record), and the
    two pages are joined. Returns the PDF, its page count and the smaller of the two type sizes.
    """
    from django.core.cache import cache

    from core.pdf import join_pdfs, side_by_side

    last = cache.get(BROCHURE_SIZES_KEY)
    starts = last if isinstance(last, list) and len(last) == 2 else [0, 0]
    starts = [min(max(int(i), 0), len(BROCHURE_SIZES) - 1) for i in starts]
    # The back page in a child, the front page here: each (size index, pages taken, PDF).
    back, front = side_by_side([lambda: _page_fit(context, 2, starts[1]), lambda: _page_fit(context, 1, starts[0])])
    cache.set(BROCHURE_SIZES_KEY, [front[0], back[0]], None)
    return join_pdfs([front[2], back[2]]), front[1] + back[1], min(BROCHURE_SIZES[front[0]], BROCHURE_SIZES[back[0]])


@transaction.atomic
def brochure_build(*, user=None, now=None) -> BrochureBuild:
    """Build the brochure from the live figures and store it; older files beyond the kept few are deleted."""
    context = brochure_context(now=now)
    content, pages, type_size = brochure_render(context)
    built_at = context["built_at"]
    build = BrochureBuild(
        built_at=built_at,
        built_by=user if user is not None and user.is_authenticated else None,
        pages=pages,
        size=len(content),
        type_size=type_size,
        figures={v.slug: v.printed() for v in context["figures"] if v.has_data},
    )
    build.file.save(f"restorative-justice-brochure-{built_at:%Y-%m-%d}.pdf", ContentFile(content), save=False)
    build.save()
    for old in BrochureBuild.objects.order_by("-built_at", "-pk")[conf.brochure_builds_kept() :]:
        old.file.delete(save=False)
        old.delete()
    return build


def brochure_current() -> BrochureBuild | None:
    return BrochureBuild.objects.order_by("-built_at", "-pk").first()


# Photos -----------------------------------------------------------------------------------------
# Records a photo may never be attached to: people (faces), victims, money, and the system's own rows.
PHOTO_DENIED_APPS = {
    "admin",
    "auth",
    "authtoken",
    "axes",
    "contenttypes",
    "django_celery_beat",
    "reports",
    "restitution",
    "sessions",
    "simple_history",
    "victims",
}
PHOTO_CORE_MODELS = {"facility", "organization"}


def photo_target_allowed(model) -> bool:
    meta = model._meta
    if meta.app_label in PHOTO_DENIED_APPS or meta.model_name.startswith("historical"):
        return False
    if meta.app_label == "core" and meta.model_name not in PHOTO_CORE_MODELS:
        return False
    return hasattr(model._default_manager.all(), "restrict")


def photo_target(*, user, app_model: str, object_id: int):
    """The record a photo will be attached to, if it may take photos and is in the user's scope; else None."""
    try:
        app_label, model_name = app_model.lower().split(".", 1)
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
    except (ValueError, ContentType.DoesNotExist):
        return None
    model = content_type.model_class()
    if model is None or not photo_target_allowed(model):
        return None
    return model._default_manager.restrict(user, VIEW).filter(pk=object_id).first()


def _facility_of(target):
    from core.models import Facility

    if isinstance(target, Facility):
        return target.pk
    return getattr(target, "facility_id", None)


def _check_public_text(**texts) -> None:
    errors = {}
    for name, text in texts.items():
        problems = private_text_problems(text)
        if problems:
            errors[name] = " ".join(problems) + " Public text never names an offender or shows a DOC ID."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def photo_upload(*, user, target, data: bytes, alt_text: str, caption: str = "") -> Photo:
    """Store a cleaned copy of an uploaded photo (no metadata) and its thumbnail, waiting for review."""
    if user.role == Role.AUDITOR:
        raise ValidationError("Auditors read records; they do not add photos.")
    _check_public_text(caption=caption, alt_text=alt_text)
    clean = clean_image(data)
    photo = Photo(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        facility_id=_facility_of(target),
        width=clean.width,
        height=clean.height,
        caption=caption.strip(),
        alt_text=alt_text.strip(),
        uploaded_by=user,
    )
    photo.image.save("photo.jpg", ContentFile(clean.image), save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(clean.thumbnail), save=False)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def photo_review(
    *, photo: Photo, user, approve: bool, consent_confirmed: bool, caption: str, alt_text: str, note: str = ""
) -> Photo:
    """An administrator approves a photo for the public (consent confirmed) or keeps it private."""
    if not user.is_administrator:
        raise ValidationError("Only an administrator reviews photos for the public.")
    photo = Photo.objects.select_for_update().get(pk=photo.pk)
    if approve and not consent_confirmed:
        raise ValidationError({"consent_confirmed": "Confirm consent before the photo is made public."})
    _check_public_text(caption=caption, alt_text=alt_text)
    photo.caption = caption.strip()
    photo.alt_text = alt_text.strip()
    photo.status = PhotoStatus.APPROVED if approve else PhotoStatus.REJECTED
    photo.consent_confirmed = bool(consent_confirmed) if approve else photo.consent_confirmed
    photo.reviewed_by = user
    photo.reviewed_at = timezone.now()
    photo.review_note = note.strip()
    if not approve:
        photo.on_brochure = False
    photo.full_clean()
    photo.save()
    audit_log(user=user, action="photo_approve" if approve else "photo_reject", obj=photo)
    return photo


@transaction.atomic
def brochure_photos_choose(*, user, photo_ids: list[int]) -> int:
    """Pick the approved photos the brochure prints (at most ``BROCHURE_PHOTOS``)."""
    if not user.is_administrator:
        raise ValidationError("Only an administrator picks the brochure's photos.")
    chosen = list(Photo.objects.public().filter(pk__in=photo_ids).values_list("pk", flat=True))
    if len(chosen) > conf.BROCHURE_PHOTOS:
        raise ValidationError(f"The brochure has room for {conf.BROCHURE_PHOTOS} photos.")
    # Saved one by one (a handful of rows) so each change is in the photo's history.
    for photo in Photo.objects.filter(Q(on_brochure=True) | Q(pk__in=chosen)):
        wanted = photo.pk in chosen
        if photo.on_brochure != wanted:
            photo.on_brochure = wanted
            photo.save(update_fields=["on_brochure"])
    return len(chosen)
