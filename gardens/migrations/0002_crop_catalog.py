"""The crop catalog the gardens start with (administrators add more in the app)."""

from decimal import Decimal

from django.db import migrations

CROPS = [
    # name, category, estimated value per pound (dollars)
    ("Tomatoes", "vegetable", "1.80"),
    ("Cucumbers", "vegetable", "1.20"),
    ("Bell peppers", "vegetable", "2.00"),
    ("Jalapeño peppers", "vegetable", "1.80"),
    ("Sweet corn", "vegetable", "0.90"),
    ("Okra", "vegetable", "2.50"),
    ("Eggplant", "vegetable", "1.60"),
    ("Broccoli", "vegetable", "2.00"),
    ("Green beans", "legume", "2.00"),
    ("Peas", "legume", "2.50"),
    ("Zucchini", "squash", "1.20"),
    ("Yellow squash", "squash", "1.20"),
    ("Winter squash", "squash", "1.00"),
    ("Pumpkins", "squash", "0.60"),
    ("Watermelon", "melon", "0.40"),
    ("Cantaloupe", "melon", "0.80"),
    ("Potatoes", "root", "0.80"),
    ("Sweet potatoes", "root", "1.10"),
    ("Onions", "root", "1.00"),
    ("Carrots", "root", "1.00"),
    ("Radishes", "root", "1.50"),
    ("Beets", "root", "1.30"),
    ("Turnips", "root", "1.00"),
    ("Garlic", "root", "4.00"),
    ("Cabbage", "leafy_green", "0.70"),
    ("Lettuce", "leafy_green", "2.00"),
    ("Spinach", "leafy_green", "3.00"),
    ("Collard greens", "leafy_green", "1.80"),
    ("Kale", "leafy_green", "2.50"),
    ("Turnip greens", "leafy_green", "1.80"),
    ("Strawberries", "fruit", "3.00"),
    ("Apples", "fruit", "1.50"),
    ("Peaches", "fruit", "1.80"),
    ("Basil", "herb", "8.00"),
]


def add_crops(apps, schema_editor):
    Crop = apps.get_model("gardens", "Crop")
    for name, category, value in CROPS:
        Crop.objects.get_or_create(name=name, defaults={"category": category, "value_per_lb": Decimal(value)})


class Migration(migrations.Migration):
    dependencies = [("gardens", "0001_initial")]

    operations = [migrations.RunPython(add_crops, migrations.RunPython.noop)]
