"""The compliance snapshot becomes a table partitioned by ``as_of``: one partition a night.

The nightly job then writes a night into a fresh table of its own (no index to keep up row by row),
builds its key once, and attaches it (``restitution.services.compliance_snapshot_run``); a rerun for
the same date drops that night's partition instead of deleting 600,000 rows.

Django has no word for partitioning, so this is SQL only: the model's state does not change. The
partitioned table keeps the names Django knows (the composite primary key ``(as_of, obligation_id)``
and the partial index ``restitution_snap_new_delinq``, both now partitioned indexes), so later
migrations of the model still find them. The rows already stored are copied into one partition per
date.

The columns are in the order that reads fastest: the fixed-width ones first (no padding between
them), then the two statuses (the next night's join and the alerts' index read them without
stepping over the money), the money, and last the one that may be null.

There is no default partition: only the job writes snapshots, and a row for a date without a
partition is refused rather than kept where the next attach would trip on it.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE restitution_compliancesnapshot RENAME TO restitution_unpartitionedsnapshot;
ALTER INDEX restitution_compliancesnapshot_pkey RENAME TO restitution_unpartitionedsnapshot_pkey;
ALTER INDEX restitution_snap_new_delinq RENAME TO restitution_unpartitionedsnapshot_new_delinq;

CREATE TABLE restitution_compliancesnapshot (
    obligation_id bigint NOT NULL,
    as_of date NOT NULL,
    days_past_due integer NOT NULL CONSTRAINT restitution_compliancesnapshot_days_past_due_check CHECK (days_past_due >= 0),
    status varchar(14) NOT NULL,
    previous_status varchar(14) NOT NULL,
    ordered_amount numeric(12, 2) NOT NULL,
    paid numeric(12, 2) NOT NULL,
    balance numeric(12, 2) NOT NULL,
    expected numeric(12, 2) NOT NULL,
    arrears numeric(12, 2) NOT NULL,
    past_due_since date NULL,
    CONSTRAINT restitution_compliancesnapshot_pkey PRIMARY KEY (as_of, obligation_id)
) PARTITION BY LIST (as_of);

CREATE INDEX restitution_snap_new_delinq ON restitution_compliancesnapshot (as_of)
    WHERE status = 'delinquent' AND NOT previous_status = 'delinquent';

DO $$
DECLARE night date;
BEGIN
    FOR night IN SELECT DISTINCT as_of FROM restitution_unpartitionedsnapshot ORDER BY 1 LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF restitution_compliancesnapshot FOR VALUES IN (%L)',
            'restitution_compliancesnapshot_' || to_char(night, 'YYYYMMDD'), night
        );
    END LOOP;
END $$;

INSERT INTO restitution_compliancesnapshot (as_of, obligation_id, ordered_amount, paid, balance, expected, arrears,
                                            days_past_due, past_due_since, status, previous_status)
SELECT as_of, obligation_id, ordered_amount, paid, balance, expected, arrears, days_past_due, past_due_since, status,
       previous_status
FROM restitution_unpartitionedsnapshot ORDER BY as_of, obligation_id;

DROP TABLE restitution_unpartitionedsnapshot;
"""

BACKWARD = """
ALTER TABLE restitution_compliancesnapshot RENAME TO restitution_partitionedsnapshot;
ALTER INDEX restitution_compliancesnapshot_pkey RENAME TO restitution_partitionedsnapshot_pkey;
ALTER INDEX restitution_snap_new_delinq RENAME TO restitution_partitionedsnapshot_new_delinq;

CREATE TABLE restitution_compliancesnapshot (
    as_of date NOT NULL,
    obligation_id bigint NOT NULL,
    ordered_amount numeric(12, 2) NOT NULL,
    paid numeric(12, 2) NOT NULL,
    balance numeric(12, 2) NOT NULL,
    expected numeric(12, 2) NOT NULL,
    arrears numeric(12, 2) NOT NULL,
    days_past_due integer NOT NULL CONSTRAINT restitution_compliancesnapshot_days_past_due_check CHECK (days_past_due >= 0),
    past_due_since date NULL,
    status varchar(14) NOT NULL,
    previous_status varchar(14) NOT NULL,
    CONSTRAINT restitution_compliancesnapshot_pkey PRIMARY KEY (as_of, obligation_id)
);

CREATE INDEX restitution_snap_new_delinq ON restitution_compliancesnapshot (as_of)
    WHERE status = 'delinquent' AND NOT previous_status = 'delinquent';

INSERT INTO restitution_compliancesnapshot (as_of, obligation_id, ordered_amount, paid, balance, expected, arrears,
                                            days_past_due, past_due_since, status, previous_status)
SELECT as_of, obligation_id, ordered_amount, paid, balance, expected, arrears, days_past_due, past_due_since, status,
       previous_status
FROM restitution_partitionedsnapshot ORDER BY as_of, obligation_id;

DROP TABLE restitution_partitionedsnapshot;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("restitution", "0004_entered_by"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
