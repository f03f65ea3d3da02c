"""Celery tasks of the victims app: thin wrappers around one service each."""

from celery import shared_task


@shared_task(acks_late=True, name="victims.send_notification")
def send_notification_task(notification_id: int) -> str | None:
    """Send one e-mail notice now (queued when the notice is made, or tried again)."""
    from .services import notification_send

    notice = notification_send(notification_id=notification_id)
    return notice.status if notice is not None else None


@shared_task(acks_late=True, name="victims.send_due_notifications")
def send_due_notifications_task() -> int:
    """Every two minutes (beat): the e-mail notices that are due (retries, and any whose task was lost)."""
    from .services import notifications_send_due

    return notifications_send_due()
