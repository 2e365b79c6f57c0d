"""On PostgreSQL the audit log refuses TRUNCATE too (issue 11 point 8): the row triggers of
0002 do not fire for it, so one statement could empty the log. A statement-level trigger
raises the same error as 0002's function (which names the operation, TG_OP).

The table's owner could still disable the triggers; the README's "Security" section gives the
deployment where the application's role may only INSERT and SELECT this table."""

from django.db import migrations

CREATE = """
CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_append_only();
"""

DROP = "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_action_new_password")]

    operations = [migrations.RunPython(create, drop)]
