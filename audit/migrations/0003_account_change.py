import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_user_kept_on_delete"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                ("user_label", models.CharField(max_length=150, verbose_name="操作人用户名")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("create_county", "新建县总工会"),
                            ("rename_county", "修改县总工会名称"),
                            ("create_township", "新建乡镇工会"),
                            ("rename_township", "修改乡镇工会"),
                            ("create_account", "新建账号"),
                            ("update_account", "修改账号"),
                            ("deactivate", "停用账号"),
                            ("activate", "启用账号"),
                            ("reset_password", "重置密码"),
                            ("unlock", "解除登录锁定"),
                        ],
                        max_length=20,
                        verbose_name="操作",
                    ),
                ),
                ("target", models.CharField(max_length=200, verbose_name="对象")),
                ("detail", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                ("ip", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP地址")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
            ],
            options={
                "verbose_name": "账号与单位变更记录",
                "verbose_name_plural": "账号与单位变更记录",
                "ordering": ["-at", "-id"],
            },
        ),
    ]
