"""Every existing course's progress, from its attendance (the statement of ``progress.REBUILD_SQL`` as it
was written with this migration)."""

from django.db import migrations

FILL = """
    INSERT INTO classes_courseprogress (course, topic_id, position, needed, credited)
    SELECT c.course, cs.topic_id, cs.position, cs.hours, COALESCE(t.hours, 0)
      FROM (SELECT DISTINCT course, version_id FROM classes_enrollment WHERE course IS NOT NULL) c
      JOIN classes_curriculumsession cs ON cs.version_id = c.version_id
      LEFT JOIN (SELECT course, topic_id, SUM(hours) AS hours FROM classes_attendance
                  WHERE voided_at IS NULL AND hours > 0 GROUP BY course, topic_id) t
             ON t.course = c.course AND t.topic_id = cs.topic_id
"""


class Migration(migrations.Migration):
    dependencies = [("classes", "0003_course_progress")]

    operations = [
        migrations.RunSQL(FILL, reverse_sql="DELETE FROM classes_courseprogress"),
        # Statistics now, so that the first pages after the upgrade plan with them (autovacuum would come later).
        migrations.RunSQL("ANALYZE classes_courseprogress", reverse_sql=migrations.RunSQL.noop),
    ]
