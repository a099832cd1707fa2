from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0013_member_township_name_pattern"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["union", "left_on"], name="member_union_left"),
        ),
    ]
