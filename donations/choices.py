"""Choice lists for craft production, donations and fundraisers."""

from django.db import models


class ItemCategory(models.TextChoices):
    QUILTS = "quilts", "Quilts and blankets"
    KNITTED = "knitted", "Knitted and sewn goods"
    MOBILITY = "mobility", "Bicycles and mobility aids"
    WOODWORK = "woodwork", "Woodwork and furniture"
    BAGS = "bags", "Bags and backpacks"
    LEARNING = "learning", "Books and learning"
    TOYS = "toys", "Toys"
    OTHER = "other", "Other"


class DonationPurpose(models.TextChoices):
    USE = "use", "The recipient's own use"
    DISTRIBUTION = "distribution", "Distribution to people in need"
    AUCTION = "auction", "Fundraising auction"


class FundraiserPurpose(models.TextChoices):
    SCHOOL_SUPPLIES = "school_supplies", "School supplies"
    DISASTER_AID = "disaster_aid", "Disaster aid"
    OTHER = "other", "Other"
