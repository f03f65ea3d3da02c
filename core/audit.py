"""The access audit log: who viewed or exported a sensitive record (history records who changed it)."""

from core.models import AuditEvent


def audit_log(
    *, user, action: str, obj=None, object_type: str = "", object_id: str = "", detail: str = ""
) -> AuditEvent:
    """Record one access. ``obj`` gives the type and id when it is a model instance."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:300],
    )
