"""API for the classes: what each active enrollment still lacks, by topic (``/api/v1/classes/progress/``),
and the writes of referrals, enrollments and attendance.

Topics, curriculum versions, offerings, sessions, referrals, enrollments and attendance are declared in
``registrations`` (``/api/v1/classes/<records>/``). Topics, curriculum, offerings and sessions are read-only
here. Referrals (``referral_create``, the note through ``referral_note``, ``POST <id>/cancel/`` through
``referral_cancel``), enrollments (``enrollment_enroll``: one transaction that cannot overbook; ended and
completed on the pages) and attendance (``attendance_mark``, make-ups included; ``POST <id>/void/``) are
written only through the services, which validate them: a refusal is a 400 in the service's words under
its field. Scope is core's: a record you may not change is a 404, a related record you may not see a 400,
a role that may not write a 403.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from core.api.base import CleanTextSerializerMixin, ScopedModelSerializer, ScopedModelViewSet
from core.api.router import router
from core.errors import api_error_from
from core.models import Offender
from core.querysets import CHANGE, VIEW

from . import services
from .choices import EnrollmentStatus
from .models import Attendance, Enrollment, Referral
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


# Writes through the services ----------------------------------------------------------------------------------
def _through(service, **kwargs):
    """Call a service; its refusal is the API's 400 in the service's words, by field."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise api_error_from(exc) from exc


class ServiceSerializer(ScopedModelSerializer):
    """Related choices restricted to what the user may see; the rules are the service's (its
    ``full_clean`` and its own checks), so the model is not checked twice here in other words."""

    def validate(self, attrs):
        return serializers.ModelSerializer.validate(self, attrs)


class ReferralSerializer(ServiceSerializer):
    class Meta:
        model = Referral
        fields = ["id", "offender", "facility", "source", "referred_on", "note", "status", "referred_by"]
        fields += ["closed_reason"]
        read_only_fields = ["status", "referred_by", "closed_reason"]
        extra_kwargs = {"referred_on": {"required": False}}
        validators = []  # one waiting referral per place: the service's check, in its words

    def create(self, validated_data):
        return _through(services.referral_create, user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        kept = [n for n in ("offender", "facility", "source", "referred_on") if n in validated_data]
        changed = [n for n in kept if validated_data[n] != getattr(instance, n)]
        if changed:
            message = "A referral keeps its person, facility, source and date: cancel it and refer again."
            raise DRFValidationError({key: [message] for key in changed})
        return _through(
            services.referral_note,
            referral=instance,
            user=self.context["request"].user,
            note=validated_data.get("note", instance.note),
        )


class CancelReasonSerializer(CleanTextSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ReferralViewSet(ScopedModelViewSet):
    """Referrals to a facility's waiting list: made, their note changed, cancelled with a reason."""

    @action(detail=True, methods=["post"], serializer_class=CancelReasonSerializer)
    def cancel(self, request, pk=None):
        """Take a waiting referral off the list, with the reason."""
        referral = Referral.objects.restrict(request.user, CHANGE).filter(pk=pk).first()
        if referral is None:
            raise NotFound
        serializer = CancelReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = _through(
            services.referral_cancel, referral=referral, user=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(ReferralSerializer(referral, context=self.get_serializer_context()).data)


class EnrollmentSerializer(ServiceSerializer):
    offender = serializers.PrimaryKeyRelatedField(queryset=Offender.objects.all(), required=False, allow_null=True)
    referral = serializers.PrimaryKeyRelatedField(
        queryset=Referral.objects.all(),
        required=False,
        allow_null=True,
        help_text="Enroll from this waiting referral (then the person is the referral's).",
    )

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "offender",
            "offering",
            "referral",
            "enrolled_on",
            "version",
            "course_started_on",
            "status",
            "ended_on",
            "end_reason",
            "pretest_score",
            "posttest_score",
        ]
        read_only_fields = ["status", "ended_on", "end_reason", "pretest_score", "posttest_score"]
        extra_kwargs = {"enrolled_on": {"required": False}}
        validators = []  # one seat a person: the service's check (and the database's), in its words

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not attrs.get("offender") and not attrs.get("referral"):
            raise DRFValidationError({"offender": ["Give the person, or the waiting referral to enroll from."]})
        return attrs

    def create(self, validated_data):
        return _through(services.enrollment_enroll, user=self.context["request"].user, **validated_data)


class EnrollmentViewSet(ScopedModelViewSet):
    """Enrollments: a seat given by ``enrollment_enroll`` (it cannot overbook); ended or completed on the
    pages, where the rules are shown (so no PUT or PATCH here)."""

    http_method_names = ["get", "post", "head", "options"]


class AttendanceSerializer(ServiceSerializer):
    offender = serializers.PrimaryKeyRelatedField(queryset=Offender.objects.all())

    class Meta:
        model = Attendance
        fields = [
            "id",
            "session",
            "offender",
            "status",
            "hours",
            "not_held_reason",
            "remark",
            "enrollment",
            "topic",
            "date",
            "facility",
            "makeup",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = ["enrollment", "voided_at", "void_reason"]
        extra_kwargs = {"hours": {"required": False, "allow_null": True}}
        validators = []  # marking again corrects the standing entry (attendance_mark)

    def create(self, validated_data):
        return _through(services.attendance_mark, user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        for name in ("session", "offender"):
            if name in validated_data and validated_data[name] != getattr(instance, name):
                raise DRFValidationError(
                    {name: ["An entry stays with its session and person: void it and mark again."]}
                )
        return _through(
            services.attendance_mark,
            user=self.context["request"].user,
            session=instance.session,
            offender=instance.offender,
            status=validated_data.get("status", instance.status),
            hours=validated_data.get("hours"),
            remark=validated_data.get("remark", instance.remark),
            not_held_reason=validated_data.get("not_held_reason", instance.not_held_reason),
        )


class AttendanceViewSet(ScopedModelViewSet):
    """Attendance marked one person at a time (``attendance_mark``: the roster or a make-up), corrected
    in the correction window, voided with a reason."""
