"""Choice lists of the reports app."""

from django.db import models


class ReportFormat(models.TextChoices):
    HTML = "html", "Web page"
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"


FILE_FORMATS = (ReportFormat.PDF, ReportFormat.CSV, ReportFormat.XLSX)


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class PhotoStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Approved for the public"
    REJECTED = "rejected", "Not for the public"


class BrochurePage(models.IntegerChoices):
    FRONT = 1, "Page 1"
    BACK = 2, "Page 2"
