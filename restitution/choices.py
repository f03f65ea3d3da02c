"""Choice lists of the restitution app."""

from django.db import models


class ObligationKind(models.TextChoices):
    RESTITUTION = "restitution", "Restitution"
    CVCF = "cvcf", "CVCF judgment"
    OTHER = "other", "Other court-ordered"


# Allocation priority: restitution before CVCF before anything else (the design's rule).
KIND_PRIORITY = {ObligationKind.RESTITUTION: 1, ObligationKind.CVCF: 2, ObligationKind.OTHER: 3}


class ObligationStatus(models.TextChoices):
    OPEN = "open", "Open"
    PAID = "paid", "Paid in full"
    WAIVED = "waived", "Waived by the court"


class PayeeKind(models.TextChoices):
    VICTIM = "victim", "Victim"
    CVCF = "cvcf", "Crime Victims' Compensation Fund"
    OTHER = "other", "Other payee"


class PaymentMethod(models.TextChoices):
    MONEY_ORDER = "money_order", "Money order"
    CASHIERS_CHECK = "cashiers_check", "Cashier's check"
    ELECTRONIC = "electronic", "Electronic"
    INMATE_ACCOUNT = "inmate_account", "Inmate account"
    PAYROLL_DEDUCTION = "payroll_deduction", "Payroll deduction"


class PaymentSource(models.TextChoices):
    ENTERED = "entered", "Entered"
    IMPORTED = "imported", "Imported"


class ComplianceStatus(models.TextChoices):
    DELINQUENT = "delinquent", "Delinquent"
    LATE = "late", "Late"
    UNSCHEDULED = "unscheduled", "Unscheduled"
    CURRENT = "current", "Current"
    PAID_IN_FULL = "paid_in_full", "Paid in full"
    WAIVED = "waived", "Waived"


# Worst first: the caseload page sorts people by the worst status among their obligations.
SEVERITY = {
    ComplianceStatus.DELINQUENT: 0,
    ComplianceStatus.LATE: 1,
    ComplianceStatus.UNSCHEDULED: 2,
    ComplianceStatus.CURRENT: 3,
    ComplianceStatus.PAID_IN_FULL: 4,
    ComplianceStatus.WAIVED: 5,
}

DELINQUENT_DAYS = 60
CVCF_PAYEE_NAME = "Crime Victims' Compensation Fund"
