"""python manage.py reencrypt_id_numbers"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.translation import gettext as _

from unionportal.pii import EncryptedIdNumberField, convert_id_numbers


def encrypted_tables() -> list[tuple[str, str]]:
    """(table, primary-key column) of every model with an encrypted ID number, history too."""
    return sorted(
        {
            (model._meta.db_table, model._meta.pk.column)
            for model in apps.get_models()
            if any(isinstance(f, EncryptedIdNumberField) for f in model._meta.concrete_fields)
        }
    )


class Command(BaseCommand):
    help = (
        "轮换密钥后，用当前的 FIELD_ENCRYPTION_KEY 重新加密所有身份证号（含修改历史），"
        "并按当前哈希密钥重算查找哈希。可以重复运行。"
    )

    def handle(self, *args, **options) -> None:
        total = 0
        for table, pk in encrypted_tables():
            with transaction.atomic():
                changed = convert_id_numbers(connection, table, pk=pk)
            total += changed
            self.stdout.write(_("{table}：更新 {count} 行").format(table=table, count=changed))
        self.stdout.write(
            _(
                "完成：共更新 {count} 行。旧密钥不再需要时，可从 FIELD_ENCRYPTION_OLD_KEYS 中删去。"
            ).format(count=total)
        )
