from django.db import migrations

INDEX = "member_township_name_pattern"


def township_pattern_index(apps, schema_editor):
    # A county reviewer's search by name reads each of the county's townships off this index
    # (township_id IN (…) AND name LIKE '王%': unionportal/access.py); the name-only
    # pattern index of 0008 read the 王 range of every county on the server instead, 1.4 s with
    # ten counties (docs/performance.md, 十个县). SQLite compares names bytewise and reads the
    # (township, name, id) index of 0004 for the same range: it needs none.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON members_member (township_id, name varchar_pattern_ops)"
        )


def drop_township_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0012_member_transfer"),
    ]

    operations = [
        migrations.RunPython(township_pattern_index, drop_township_pattern_index),
    ]
