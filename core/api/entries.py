"""The API's ``void`` action for voidable entries (``core.entries``).

``POST /api/v1/<entries>/<id>/void/ {"reason": "..."}`` voids through the app's ``<entity>_void``
service and answers 200 with the entry as the viewset's serializer shows it. Out of scope
(another facility's entry, a void one, one past the correction window) is 404; a role that may
not change entries at all (an auditor) is refused with 403 by ``ScopedPermission``; an empty
reason or a refusal of the service (stock) is 400.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api.base import CleanTextSerializerMixin
from core.errors import api_error_from
from core.querysets import CHANGE


class VoidReasonSerializer(CleanTextSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class VoidActionMixin:
    """Put before ``ScopedModelViewSet``; set ``void_service`` (and ``void_arg``, the keyword the
    service takes the entry by: ``"entry"`` unless set)."""

    void_service = None
    void_arg = "entry"

    @action(detail=True, methods=["post"], serializer_class=VoidReasonSerializer)
    def void(self, request, pk=None):
        """Void an entry with a reason (it stays on record and counts nowhere)."""
        obj = self.queryset.model._default_manager.restrict(request.user, CHANGE).filter(pk=pk).first()
        if obj is None:
            raise NotFound
        serializer = VoidReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            obj = type(self).void_service(
                **{self.void_arg: obj}, user=request.user, reason=serializer.validated_data["reason"]
            )
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc
        return Response(type(self).serializer_class(obj, context={"request": request}).data)
