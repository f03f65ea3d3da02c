"""Puppies for Parole's nightly job: e-mails to applicants that a mail server failure left waiting."""

from core.jobs import register_job

from . import services


@register_job(
    "puppies_mail", description="Send adoption e-mails still waiting (the mail server was down).", hour=3, minute=40
)
def puppies_mail(run_date) -> int:
    return services.mails_retry(run_date)
