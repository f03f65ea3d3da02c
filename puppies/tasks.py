"""Celery tasks of Puppies for Parole: thin wrappers that call one service."""

from celery import shared_task


@shared_task(acks_late=True, name="puppies.send_application_mail")
def send_application_mail(mail_id: int) -> dict:
    """Send one stored e-mail to an applicant; a failure leaves it waiting for the nightly retry."""
    from .services import mail_send

    return {"id": mail_id, "sent": mail_send(mail_id=mail_id)}
