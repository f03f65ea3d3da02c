"""The address hashes again, after core.conflicts.normalize_address learned to spell a post office box one
way ("P.O. Box", "Post Office Box", "POB"...): a stored hash made before would not match."""

from django.db import migrations


def rehash(apps, schema_editor):
    from core.conflicts import normalize_address
    from victims.crypto import keyed_hash

    identity = apps.get_model("victims", "VictimIdentity")
    fields = ("designated_address", "address", "mailing_address")
    for row in identity.objects.only("pk", *fields, *(f"{f}_hash" for f in fields)).iterator(chunk_size=500):
        changed = {}
        for field in fields:
            value = keyed_hash(normalize_address(getattr(row, field) or ""))
            if value != getattr(row, f"{field}_hash"):
                changed[f"{field}_hash"] = value
        if changed:
            identity.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("victims", "0007_statement_link")]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop)]
