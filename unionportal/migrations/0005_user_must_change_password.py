from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("unionportal", "0004_datastamp"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(default=False, verbose_name="下次登录须修改密码"),
        ),
    ]
