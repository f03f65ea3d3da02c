"""Missouri's curriculum, version 1: the ten topics, four hours each (40 hours), no tests."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

TOPICS = (
    ("overview", "Overview of victimization"),
    ("property", "Property crimes"),
    ("child-elder-abuse", "Child and elder abuse"),
    ("domestic-violence", "Domestic violence"),
    ("assault", "Assault"),
    ("sexual-assault", "Sexual assault"),
    ("drunk-driving", "Drunk driving"),
    ("robbery", "Robbery"),
    ("drugs", "Drugs"),
    ("homicide", "Homicide"),
)
NAME = "Impact of Crime on Victims (Missouri)"


def seed(apps, schema_editor):
    Topic = apps.get_model("classes", "Topic")
    Version = apps.get_model("classes", "CurriculumVersion")
    Session = apps.get_model("classes", "CurriculumSession")
    topics = [Topic.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in TOPICS]
    version, created = Version.objects.get_or_create(
        name=NAME, number=1, defaults={"effective_on": dt.date(2026, 1, 1), "active": True}
    )
    if created:
        Session.objects.bulk_create(
            Session(version=version, position=i, topic=t, hours=Decimal("4.00")) for i, t in enumerate(topics, 1)
        )


class Migration(migrations.Migration):
    dependencies = [("classes", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
