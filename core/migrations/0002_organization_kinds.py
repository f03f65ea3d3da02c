from django.db import migrations

KINDS = [
    ("food_bank", "Food bank"),
    ("food_pantry", "Food pantry"),
    ("shelter", "Shelter"),
    ("school", "School"),
    ("church", "Church"),
    ("senior_center", "Senior center"),
    ("hospital", "Hospital"),
    ("nonprofit", "Nonprofit"),
    ("animal_shelter", "Animal shelter"),
    ("service_agency", "Community service agency"),
]


def add_kinds(apps, schema_editor):
    OrganizationKind = apps.get_model("core", "OrganizationKind")
    for code, name in KINDS:
        OrganizationKind.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
