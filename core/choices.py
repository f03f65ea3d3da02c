"""Choice lists shared across RJ Admin."""

from django.db import models


class Role(models.TextChoices):
    FACILITY_STAFF = "facility_staff", "Facility staff"
    PROBATION_OFFICER = "probation_officer", "Probation officer"
    DISTRICT_SUPERVISOR = "district_supervisor", "District supervisor"
    VICTIM_SERVICES = "victim_services", "Victim services"
    BOARD_COORDINATOR = "board_coordinator", "Board coordinator"
    ADMINISTRATOR = "administrator", "Administrator"
    AUDITOR = "auditor", "Auditor"


# Roles whose scope is one district.
DISTRICT_ROLES = {Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR, Role.BOARD_COORDINATOR}
# Roles that see every record statewide (the auditor read only).
STATEWIDE_ROLES = {Role.ADMINISTRATOR, Role.AUDITOR}


class FacilityKind(models.TextChoices):
    INSTITUTION = "institution", "Institution"
    DISTRICT_OFFICE = "district_office", "P&P district office"
    CSC = "csc", "Community supervision center"


class Region(models.TextChoices):
    NORTHEAST = "northeast", "Northeast"
    NORTHWEST = "northwest", "Northwest"
    CENTRAL = "central", "Central"
    EASTERN = "eastern", "Eastern"
    SOUTHEAST = "southeast", "Southeast"
    SOUTHWEST = "southwest", "Southwest"
    KANSAS_CITY = "kansas_city", "Kansas City"
    ST_LOUIS = "st_louis", "St. Louis"


class OrganizationKindCode(models.TextChoices):
    FOOD_BANK = "food_bank", "Food bank"
    FOOD_PANTRY = "food_pantry", "Food pantry"
    SHELTER = "shelter", "Shelter"
    SCHOOL = "school", "School"
    CHURCH = "church", "Church"
    SENIOR_CENTER = "senior_center", "Senior center"
    HOSPITAL = "hospital", "Hospital"
    NONPROFIT = "nonprofit", "Nonprofit"
    ANIMAL_SHELTER = "animal_shelter", "Animal shelter"
    SERVICE_AGENCY = "service_agency", "Community service agency"


class AgencyStatus(models.TextChoices):
    NONE = "", "Not a service agency"
    NON_PROFIT = "non_profit", "Non-profit"
    TAX_SUPPORTED = "tax_supported", "Tax-supported"


class OffenderStatus(models.TextChoices):
    INCARCERATED = "incarcerated", "Incarcerated"
    SUPERVISED = "supervised", "Supervised"
    DISCHARGED = "discharged", "Discharged"
    ESCAPED = "escaped", "Escaped"
    DECEASED = "deceased", "Deceased"


class OffenderEventKind(models.TextChoices):
    """What an offender event says changed (core.events): the programs react to these."""

    STATUS = "status", "Status changed"
    FACILITY = "facility", "Transferred"
    DISTRICT = "district", "District changed"
    OFFICER = "officer", "Supervising officer changed"
    PAROLE_HEARING = "parole_hearing", "Parole hearing recorded"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class ParoleOutcome(models.TextChoices):
    GRANTED = "granted", "Parole granted"
    DENIED = "denied", "Parole denied"
    CONTINUED = "continued", "Continued to a later date"
    CANCELLED = "cancelled", "Cancelled"


class OffenseClass(models.TextChoices):
    FELONY_A = "felony_a", "Class A felony"
    FELONY_B = "felony_b", "Class B felony"
    FELONY_C = "felony_c", "Class C felony"
    FELONY_D = "felony_d", "Class D felony"
    FELONY_E = "felony_e", "Class E felony"
    MISDEMEANOR_A = "misdemeanor_a", "Class A misdemeanor"
    MISDEMEANOR_B = "misdemeanor_b", "Class B misdemeanor"
    MISDEMEANOR_C = "misdemeanor_c", "Class C misdemeanor"
    MISDEMEANOR_D = "misdemeanor_d", "Class D misdemeanor"
    INFRACTION = "infraction", "Infraction"


class JobOutcome(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCESS = "success", "Succeeded"
    FAILED = "failed", "Failed"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Checking"
    PREVIEWED = "previewed", "Previewed"
    COMMITTING = "committing", "Committing"
    COMMITTED = "committed", "Committed"
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Failed"
