"""Every reports list page runs the same number of queries for 1 row as for 20 rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import freshness
from core.registry import FigureEntry
from reports.choices import PhotoStatus, ReportStatus
from reports.models import GeneratedReport, Photo
from reports.selectors import compute_figure
from tests.factories.reports import FigureBaselineFactory
from tests.queries import queries_at_1_and_20

pytestmark = pytest.mark.django_db


def test_photo_list_query_count_is_constant(world, client_for):
    client = client_for(world.admin)
    facility_type = ContentType.objects.get_for_model(world.jccc)

    def make(i):
        Photo.objects.create(
            content_type=facility_type,
            object_id=world.jccc.pk,
            facility=world.jccc,
            image="reports/photos/x/photo.jpg",
            thumbnail="reports/photos/x/thumb.jpg",
            width=10,
            height=10,
            alt_text=f"Photo number {i:02d}",
            uploaded_by=world.staff_jccc if i % 2 else world.admin,
            status=PhotoStatus.APPROVED if i % 3 == 0 else PhotoStatus.PENDING,
            consent_confirmed=i % 3 == 0,
            reviewed_by=world.admin if i % 3 == 0 else None,
        )

    at_1, at_20 = queries_at_1_and_20(client, "/reports/photos/", make, lambda i: f"Photo number {i:02d}")
    assert at_1 == at_20


def test_generated_report_list_query_count_is_constant(world, client_for):
    client = client_for(world.admin)

    def make(i):
        GeneratedReport.objects.create(
            slug="offender-roster",
            title=f"Roster {i:02d}",
            fmt="csv",
            user=world.admin,
            status=ReportStatus.READY if i % 2 else ReportStatus.RUNNING,
            file="reports/generated/x/roster.csv" if i % 2 else "",
            expires_at=timezone.now() + dt.timedelta(days=3) if i % 2 else None,
        )

    at_1, at_20 = queries_at_1_and_20(client, "/reports/generated/", make, lambda i: f"Roster {i:02d}")
    assert at_1 == at_20


def test_baseline_list_grows_only_by_each_figures_own_computation(world, client_for, register_figure):
    """Each row shows its figure's live value: one computation per figure (its own selector, in a
    savepoint), and nothing else per row."""
    client = client_for(world.admin)
    entries = []

    def make(i):
        entries.append(
            register_figure(FigureEntry(f"qc-figure-{i:02d}", f"Figure {i:02d}", lambda: 5, cumulative=True))
        )
        FigureBaselineFactory(figure=f"qc-figure-{i:02d}", value=Decimal(100 + i), entered_by=world.admin)

    at_1, at_20 = queries_at_1_and_20(client, "/reports/baselines/", make, lambda i: f"Figure {i:02d}")
    freshness.bump()  # figures are cached until the next write: measure one computed afresh
    with CaptureQueriesContext(connection) as one:
        compute_figure(entries[0])
    assert len(one.captured_queries) > 0
    assert at_20 - at_1 == 19 * len(one.captured_queries)


def test_photo_review_and_public_gallery_query_counts_are_constant(world, client, client_for):
    facility_type = ContentType.objects.get_for_model(world.jccc)
    admin = client_for(world.admin)

    def make(i, status):
        Photo.objects.create(
            content_type=facility_type,
            object_id=world.jccc.pk,
            image="reports/photos/x/photo.jpg",
            thumbnail="reports/photos/x/thumb.jpg",
            width=10,
            height=10,
            alt_text=f"{status} photo {i:02d}",
            uploaded_by=world.staff_jccc,
            status=status,
            consent_confirmed=status == PhotoStatus.APPROVED,
            reviewed_by=world.admin if status == PhotoStatus.APPROVED else None,
        )

    at_1, at_20 = queries_at_1_and_20(
        admin, "/reports/photos/review/", lambda i: make(i, PhotoStatus.PENDING), lambda i: f"pending photo {i:02d}"
    )
    assert at_1 == at_20
    admin.logout()
    at_1, at_20 = queries_at_1_and_20(
        client, "/public/gallery/", lambda i: make(i, PhotoStatus.APPROVED), lambda i: f"approved photo {i:02d}"
    )
    assert at_1 == at_20
