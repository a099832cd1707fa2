"""Writing the personal-information access log (audit.models.PersonalInfoAccess)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import override

from audit.models import AccessAction, AccountAction, AccountChange, PersonalInfoAccess
from unionportal.access import may_reveal
from unionportal.models import Township, User
from unionportal.security import client_ip

# Shown as the user of entries written by management commands on the server.
COMMAND_LINE = "命令行"


def record_access(
    *,
    user: User | None,
    action: AccessAction,
    record_label: str,
    fields: str,
    township: Township | None = None,
    record: object | None = None,
    request: HttpRequest | None = None,
    detail: str = "",
) -> PersonalInfoAccess:
    """Log one reveal or export. `user` None means an operator's command on the server."""
    return PersonalInfoAccess.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        user_label=user.display_name if user is not None else COMMAND_LINE,
        action=action,
        township=township,
        record_kind=type(record)._meta.model_name if record is not None else "",
        record_id=getattr(record, "pk", None),
        record_label=record_label[:200],
        fields=fields[:100],
        # The same address the sign-in lockout uses: behind nginx, the client's, not nginx's.
        ip=(client_ip(request) or None) if request is not None else None,
        detail=detail[:300],
    )


def reveal_personal_info(
    *,
    user: User,
    record: Any,
    fields: str,
    request: HttpRequest | None = None,
    detail: str = "",
) -> PersonalInfoAccess:
    """Allow and log one showing of a record's whole ID number (and mobile). PermissionDenied
    for anyone outside the record's township; the caller has already checked visibility."""
    if not may_reveal(user, record.township_id):
        raise PermissionDenied(_("只有本乡镇的工作人员可以查看完整的身份证号和手机号。"))
    with override(settings.LANGUAGE_CODE):  # the log is kept in Chinese, as its labels
        label = f"{record._meta.verbose_name}：{record}"
    return record_access(
        user=user,
        action=AccessAction.REVEAL,
        record_label=label,
        fields=fields,
        township=record.township,
        record=record,
        request=request,
        detail=detail,
    )


def record_account_change(
    *,
    user: User,
    action: AccountAction,
    target: str,
    detail: str = "",
    request: HttpRequest | None = None,
) -> AccountChange:
    """Log one change to a county, township or account made in the portal's 账号管理."""
    return AccountChange.objects.create(
        user=user,
        user_label=user.display_name,
        action=action,
        target=target[:200],
        detail=detail[:300],
        ip=(client_ip(request) or None) if request is not None else None,
    )
