"""The items the programs make, as the catalog starts (administrators add others in the app)."""

from decimal import Decimal

from django.db import migrations

ITEMS = [
    # name, category, estimated value each (dollars)
    ("Quilt", "quilts", "60.00"),
    ("Weighted quilt", "quilts", "120.00"),
    ("Fidget quilt", "quilts", "25.00"),
    ("Lap blanket", "quilts", "20.00"),
    ("Knitted hat for premature newborns", "knitted", "8.00"),
    ("Knitted hat", "knitted", "10.00"),
    ("Scarf", "knitted", "12.00"),
    ("Stuffed toy", "toys", "10.00"),
    ("Wooden toy", "toys", "15.00"),
    ("Refurbished bicycle", "mobility", "75.00"),
    ("Refurbished wheelchair", "mobility", "150.00"),
    ("Refurbished walker", "mobility", "40.00"),
    ("Birdhouse", "woodwork", "20.00"),
    ("Children's furniture", "woodwork", "90.00"),
    ("Dog bed", "woodwork", "25.00"),
    ("Backpack", "bags", "25.00"),
    ("Overnight bag", "bags", "20.00"),
    ("Coloring book", "learning", "5.00"),
    ("Educational material", "learning", "10.00"),
    ("Braille book", "learning", "30.00"),
]


def add_items(apps, schema_editor):
    Item = apps.get_model("donations", "Item")
    for name, category, value in ITEMS:
        Item.objects.get_or_create(name=name, defaults={"category": category, "estimated_value": Decimal(value)})


class Migration(migrations.Migration):
    dependencies = [("donations", "0001_initial")]

    operations = [migrations.RunPython(add_items, migrations.RunPython.noop)]
