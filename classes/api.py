"""API for the classes: what each active enrollment still lacks, by topic (``/api/v1/classes/progress/``).

Topics, curriculum versions, offerings, sessions, referrals, enrollments and attendance are declared in
``registrations`` (read-only at ``/api/v1/classes/<records>/``; attendance has the ``void`` action):
their writes carry rules (capacity, make-ups, completion) and go through the pages' services and imports.
"""

from __future__ import annotations

from rest_framework import mixins, serializers, viewsets

from core.api.router import router
from core.querysets import VIEW

from .choices import EnrollmentStatus
from .models import Enrollment
from .progress import progress_by_enrollment


class TopicProgressSerializer(serializers.Serializer):
    topic = serializers.IntegerField(source="topic_id")
    position = serializers.IntegerField()
    needed = serializers.DecimalField(max_digits=5, decimal_places=2)
    credited = serializers.DecimalField(max_digits=6, decimal_places=2)
    covered = serializers.BooleanField()


class ProgressSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(source="enrollment.pk")
    offender = serializers.IntegerField(source="enrollment.offender_id")
    offering = serializers.IntegerField(source="enrollment.offering_id")
    version = serializers.IntegerField(source="enrollment.version_id")
    topics = TopicProgressSerializer(many=True)
    lacking = serializers.ListField(child=serializers.IntegerField(), help_text="The topics not yet covered.")


class ProgressRow:
    def __init__(self, enrollment, topics):
        self.enrollment, self.topics = enrollment, topics
        self.lacking = [t.topic_id for t in topics if not t.covered]


class ProgressViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every active enrollment you may see, with each topic of its version: hours needed, credited (in any
    class, at any facility, since the course started) and whether it is covered (the rule in docs/classes.md)."""

    serializer_class = ProgressSerializer
    queryset = Enrollment.objects.filter(status=EnrollmentStatus.ENROLLED).order_by("pk")

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)

    def list(self, request, *args, **kwargs):
        page = list(self.paginate_queryset(self.get_queryset()))
        topics = progress_by_enrollment([e.pk for e in page]) if page else {}
        rows = [ProgressRow(e, topics.get(e.pk, [])) for e in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


router.register("classes/progress", ProgressViewSet, basename="classes-progress")
