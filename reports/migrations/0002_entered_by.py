"""'Who entered it' has one name across the apps: recorded_by becomes entered_by (a rename, no data moves)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name=model, old_name="recorded_by", new_name="entered_by")
        for model in ("figurebaseline", "historicalfigurebaseline")
    ]
