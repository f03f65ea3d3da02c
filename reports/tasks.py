"""Celery tasks of the reports app: thin wrappers that call one service."""

from celery import shared_task


@shared_task(acks_late=True, name="reports.generate_report")
def generate_report(report_id: int) -> dict:
    """Build one generated report into its file (progress is written on the row as it goes)."""
    from .services import generated_report_run

    report = generated_report_run(report_id=report_id)
    return {"id": report_id, "status": report.status if report else "already taken"}
