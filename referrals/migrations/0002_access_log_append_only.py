"""The access log is append-only in the database too: on PostgreSQL a trigger refuses any UPDATE
or DELETE of a row, whatever path the write takes (raw SQL, the admin, a bug). Other databases
(the SQLite of `make run`) rely on the model's refusal only."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION referrals_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'referrals_accesslogentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER referrals_access_log_append_only
    BEFORE UPDATE OR DELETE ON referrals_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION referrals_access_log_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS referrals_access_log_append_only ON referrals_accesslogentry;
DROP FUNCTION IF EXISTS referrals_access_log_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
