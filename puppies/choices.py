"""Choice lists of Puppies for Parole."""

from django.db import models


class DogSex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class GoodWith(models.TextChoices):
    UNKNOWN = "unknown", "Not known yet"
    YES = "yes", "Yes"
    NO = "no", "No"


class DogStatus(models.TextChoices):
    AT_SHELTER = "at_shelter", "At the shelter, not yet placed"
    IN_TRAINING = "in_training", "In training"
    EXTENDED_TRAINING = "extended_training", "Extended training"
    GRADUATED = "graduated", "Graduated"
    RESERVED = "reserved", "Reserved"
    ADOPTED = "adopted", "Adopted"
    RETURNED = "returned", "Returned to the shelter"
    OTHER = "other", "Other outcome"


# Statuses in which the dog lives at a facility (a location is required), and those in which it does not.
AT_FACILITY = frozenset({DogStatus.IN_TRAINING, DogStatus.EXTENDED_TRAINING, DogStatus.GRADUATED, DogStatus.RESERVED})
# Statuses the public page may list (with the shelter's release, an approved photo and a bio).
PUBLIC_STATUSES = frozenset(
    {DogStatus.IN_TRAINING, DogStatus.EXTENDED_TRAINING, DogStatus.GRADUATED, DogStatus.RESERVED}
)


class TrainingLevel(models.TextChoices):
    FOUNDATION = "foundation", "Foundation (house manners, name, sit)"
    BASIC = "basic", "Basic obedience"
    INTERMEDIATE = "intermediate", "Intermediate (leash, stay, come under distraction)"
    CGC_READY = "cgc_ready", "Ready for the Canine Good Citizen test"


class Milestone(models.TextChoices):
    """A training milestone; the four levels also set the dog's training level."""

    FOUNDATION = "foundation", "Foundation (house manners, name, sit)"
    BASIC = "basic", "Basic obedience"
    INTERMEDIATE = "intermediate", "Intermediate (leash, stay, come under distraction)"
    CGC_READY = "cgc_ready", "Ready for the Canine Good Citizen test"
    CRATE = "crate", "Crate trained"
    HOUSE = "house", "House trained"
    OTHER = "other", "Other (in the note)"


class VaccineKind(models.TextChoices):
    RABIES = "rabies", "Rabies"
    DHPP = "dhpp", "Distemper, hepatitis, parvovirus, parainfluenza (DHPP)"
    BORDETELLA = "bordetella", "Bordetella"
    LEPTOSPIROSIS = "leptospirosis", "Leptospirosis"
    OTHER = "other", "Other"


class HandlerRole(models.TextChoices):
    PRIMARY = "primary", "Primary handler"
    SECONDARY = "secondary", "Secondary handler"


class HandlerEndReason(models.TextChoices):
    TRANSFERRED = "transferred", "Handler transferred"
    RELEASED = "released", "Handler released"
    REMOVED = "removed", "Removed from the program"
    REASSIGNED = "reassigned", "Reassigned by staff"
    DOG_LEFT = "dog_left", "The dog left the facility"


class TaskKind(models.TextChoices):
    REASSIGN = "reassign", "Reassign handler"
    RETURN = "return", "Return to the shelter: no eligible handler"


class ViolationSource(models.TextChoices):
    STAFF = "staff", "Recorded by staff"
    IMPORTED = "imported", "Imported"


class ApplicationStatus(models.TextChoices):
    NEW = "new", "New"
    SCREENING = "screening", "Screening"
    MEET_AND_GREET = "meet_and_greet", "Meet and greet"
    HOME_CHECK = "home_check", "Home check"
    APPROVED = "approved", "Approved (dog reserved)"
    ADOPTED = "adopted", "Adopted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_APPLICATION = frozenset(
    {
        ApplicationStatus.NEW,
        ApplicationStatus.SCREENING,
        ApplicationStatus.MEET_AND_GREET,
        ApplicationStatus.HOME_CHECK,
        ApplicationStatus.APPROVED,
    }
)
# The steps staff may move an open application to (approval and adoption have their own services).
STEPS = (ApplicationStatus.SCREENING, ApplicationStatus.MEET_AND_GREET, ApplicationStatus.HOME_CHECK)


class HomeType(models.TextChoices):
    HOUSE = "house", "House"
    APARTMENT = "apartment", "Apartment or condo"
    MOBILE = "mobile", "Mobile home"
    FARM = "farm", "Farm"
    OTHER = "other", "Other"


class Tenure(models.TextChoices):
    OWN = "own", "Own"
    RENT = "rent", "Rent"
    FAMILY = "family", "Live with family"


class MailKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", "Application received"
    CLOSED = "closed", "Dog adopted by another household"


class MailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"


# The ten items of the AKC Canine Good Citizen test, in the AKC's order.
CGC_ITEMS = (
    ("item_1", "Accepting a friendly stranger"),
    ("item_2", "Sitting politely for petting"),
    ("item_3", "Appearance and grooming"),
    ("item_4", "Out for a walk (walking on a loose lead)"),
    ("item_5", "Walking through a crowd"),
    ("item_6", "Sit and down on command, staying in place"),
    ("item_7", "Coming when called"),
    ("item_8", "Reaction to another dog"),
    ("item_9", "Reaction to distraction"),
    ("item_10", "Supervised separation"),
)
