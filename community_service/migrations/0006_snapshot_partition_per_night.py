"""The pace snapshot becomes a table partitioned by ``as_of``: one partition a night, as restitution's
compliance snapshot (its migration ``0005_snapshot_partition_per_night``).

The nightly job writes a night as a whole into a fresh table and attaches it
(``core.partitions.night_write``); a rerun for the same date replaces that night's partition instead
of deleting its rows.

Django has no word for partitioning, so this is SQL only: the model's state does not change. The
partitioned table keeps the names Django knows (the composite primary key ``(as_of, order_id)`` and
the partial index ``cs_snap_newly_overdue``, both now partitioned indexes). The rows already stored
are copied into one partition per date. The columns are in the order that reads fastest: the
fixed-width ones first, then the two statuses, the hours, and last the one that may be null.

There is no default partition: only the job writes snapshots.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE community_service_pacesnapshot RENAME TO community_service_unpartitionedsnapshot;
ALTER INDEX community_service_pacesnapshot_pkey RENAME TO community_service_unpartitionedsnapshot_pkey;
ALTER INDEX cs_snap_newly_overdue RENAME TO community_service_unpartitionedsnapshot_overdue;

CREATE TABLE community_service_pacesnapshot (
    order_id bigint NOT NULL,
    as_of date NOT NULL,
    projected_late boolean NOT NULL,
    after_supervision boolean NOT NULL,
    status varchar(10) NOT NULL,
    previous_status varchar(10) NOT NULL,
    hours_ordered numeric(7, 2) NOT NULL,
    expected numeric(7, 2) NOT NULL,
    credited numeric(7, 2) NOT NULL,
    behind numeric(7, 2) NOT NULL,
    recent numeric(7, 2) NOT NULL,
    projected_on date NULL,
    CONSTRAINT community_service_pacesnapshot_pkey PRIMARY KEY (as_of, order_id)
) PARTITION BY LIST (as_of);

CREATE INDEX cs_snap_newly_overdue ON community_service_pacesnapshot (as_of)
    WHERE status IN ('behind', 'past_due') AND NOT previous_status = status;

DO $$
DECLARE night date;
BEGIN
    FOR night IN SELECT DISTINCT as_of FROM community_service_unpartitionedsnapshot ORDER BY 1 LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF community_service_pacesnapshot FOR VALUES IN (%L)',
            'community_service_pacesnapshot_' || to_char(night, 'YYYYMMDD'), night
        );
    END LOOP;
END $$;

INSERT INTO community_service_pacesnapshot (as_of, order_id, hours_ordered, expected, credited, behind, recent,
                                            projected_on, projected_late, after_supervision, status, previous_status)
SELECT as_of, order_id, hours_ordered, expected, credited, behind, recent, projected_on, projected_late,
       after_supervision, status, previous_status
FROM community_service_unpartitionedsnapshot ORDER BY as_of, order_id;

DROP TABLE community_service_unpartitionedsnapshot;
"""

BACKWARD = """
ALTER TABLE community_service_pacesnapshot RENAME TO community_service_partitionedsnapshot;
ALTER INDEX community_service_pacesnapshot_pkey RENAME TO community_service_partitionedsnapshot_pkey;
ALTER INDEX cs_snap_newly_overdue RENAME TO community_service_partitionedsnapshot_overdue;

CREATE TABLE community_service_pacesnapshot (
    as_of date NOT NULL,
    hours_ordered numeric(7, 2) NOT NULL,
    expected numeric(7, 2) NOT NULL,
    credited numeric(7, 2) NOT NULL,
    behind numeric(7, 2) NOT NULL,
    recent numeric(7, 2) NOT NULL,
    projected_on date NULL,
    projected_late boolean NOT NULL,
    after_supervision boolean NOT NULL,
    status varchar(10) NOT NULL,
    previous_status varchar(10) NOT NULL,
    order_id bigint NOT NULL,
    CONSTRAINT community_service_pacesnapshot_pkey PRIMARY KEY (as_of, order_id)
);

CREATE INDEX cs_snap_newly_overdue ON community_service_pacesnapshot (as_of)
    WHERE status IN ('behind', 'past_due') AND NOT previous_status = status;

INSERT INTO community_service_pacesnapshot (as_of, order_id, hours_ordered, expected, credited, behind, recent,
                                            projected_on, projected_late, after_supervision, status, previous_status)
SELECT as_of, order_id, hours_ordered, expected, credited, behind, recent, projected_on, projected_late,
       after_supervision, status, previous_status
FROM community_service_partitionedsnapshot ORDER BY as_of, order_id;

DROP TABLE community_service_partitionedsnapshot;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("community_service", "0005_agency_reports"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
