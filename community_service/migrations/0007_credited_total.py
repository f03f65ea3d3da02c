"""Each order's running total of credited hours (``Order.credited_total``), filled from its logs, and
the index the pace engine reads the last 8 weeks' credited hours from."""

from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('community_service', '0006_snapshot_partition_per_night'),
        ('core', '0006_alert_key_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='order',
            name='credited_total',
            field=models.DecimalField(decimal_places=2, default=Decimal('0.00'), editable=False, max_digits=7, verbose_name='hours credited'),
        ),
        migrations.RunSQL(
            """UPDATE community_service_order o SET credited_total = t.credited
               FROM (SELECT order_id, SUM(credited_hours) AS credited FROM community_service_hourlog
                     WHERE verification = 'verified' AND voided_at IS NULL GROUP BY order_id) t
               WHERE t.order_id = o.id""",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name='hourlog',
            index=models.Index(condition=models.Q(('verification', 'verified'), ('voided_at__isnull', True)), fields=['date'], include=('order', 'credited_hours'), name='cs_hourlog_credited_by_date'),
        ),
        migrations.AddConstraint(
            model_name='order',
            constraint=models.CheckConstraint(condition=models.Q(('credited_total__gte', 0)), name='community_service_order_credited_not_negative'),
        ),
    ]
