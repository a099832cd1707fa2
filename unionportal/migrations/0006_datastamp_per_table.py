"""A data token per township and record table (it was one per township): a write to one kind of
record no longer invalidates figures read from the others (unionportal/datastamp.py).

The tokens are regenerated, not carried over: the table is made anew and the triggers are
installed again at once (and after every migrate), so any later migration that writes records
already stamps the new table."""

from django.db import migrations, models


def install(apps, schema_editor):
    from unionportal.datastamp import install_triggers

    install_triggers(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    # Going back: the triggers name the new table's columns; the older release's migrate
    # installs its own (one token per township) once it is running again.
    from unionportal.datastamp import drop_triggers

    drop_triggers(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("unionportal", "0005_user_must_change_password"),
    ]

    operations = [
        migrations.DeleteModel(name="DataStamp"),
        migrations.CreateModel(
            name="DataStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("township_id", models.BigIntegerField(verbose_name="乡镇工会")),
                ("source", models.CharField(max_length=63, verbose_name="记录表")),
                ("token", models.BigIntegerField(verbose_name="数据标记")),
            ],
            options={
                "verbose_name": "数据标记",
                "verbose_name_plural": "数据标记",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("township_id", "source"),
                        name="unionportal_datastamp_township_source",
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
