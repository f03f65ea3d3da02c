"""'Who entered it' has one name across the apps: created_by becomes entered_by (a rename, no data moves)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("restitution", "0003_ledger_totals_and_snapshot_key"),
    ]

    operations = [
        migrations.RenameField(model_name=model, old_name="created_by", new_name="entered_by")
        for model in (
            "obligation",
            "historicalobligation",
            "paymentplan",
            "historicalpaymentplan",
            "disbursement",
            "historicaldisbursement",
        )
    ]
