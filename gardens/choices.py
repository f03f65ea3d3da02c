"""Choice lists for gardens."""

from django.db import models


class CropCategory(models.TextChoices):
    VEGETABLE = "vegetable", "Vegetable"
    LEAFY_GREEN = "leafy_green", "Leafy green"
    ROOT = "root", "Root vegetable"
    SQUASH = "squash", "Squash and pumpkin"
    MELON = "melon", "Melon"
    FRUIT = "fruit", "Fruit"
    HERB = "herb", "Herb"
    LEGUME = "legume", "Beans and peas"
    OTHER = "other", "Other"
