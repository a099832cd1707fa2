"""账号管理: counties, townships and accounts changed in the portal by an administrator, each
change written to the audit log (audit.models.AccountChange) in the same transaction."""

import secrets

from axes.utils import reset as reset_sign_in_failures
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import override

from audit.models import AccountAction
from audit.services import record_account_change
from unionportal.models import County, Township, User

# No 0/O, 1/l/I: a one-time password is read off a screen and typed or said over the phone.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ONE_TIME_LENGTH = 12


def one_time_password() -> str:
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))


@transaction.atomic
def save_county(*, user: User, county: County, request: HttpRequest | None = None) -> County:
    """Create a county federation or save its new name."""
    created = county.pk is None
    before = "" if created else County.objects.get(pk=county.pk).name
    county.save()
    record_account_change(
        user=user,
        action=AccountAction.CREATE_COUNTY if created else AccountAction.RENAME_COUNTY,
        target=county.name,
        detail="" if created else f"原名称：{before}",
        request=request,
    )
    return county


@transaction.atomic
def save_township(
    *, user: User, township: Township, request: HttpRequest | None = None
) -> Township:
    """Create a township union or save its new name, code or county."""
    created = township.pk is None
    before = None if created else Township.objects.select_related("county").get(pk=township.pk)
    township.save()
    detail = (
        f"所属：{township.county.name}"
        if created
        else f"原为：{before.county.name} {before.name}（{before.code}）"
    )
    record_account_change(
        user=user,
        action=AccountAction.CREATE_TOWNSHIP if created else AccountAction.RENAME_TOWNSHIP,
        target=f"{township.county.name} {township.name}（{township.code}）",
        detail=detail,
        request=request,
    )
    return township


def _unit(account: User) -> str:
    return str(account.township or account.county or "—")


@transaction.atomic
def create_account(
    *, user: User, account: User, request: HttpRequest | None = None
) -> tuple[User, str]:
    """A new account with a one-time password (returned, shown once) that must be changed at
    the first sign-in."""
    password = one_time_password()
    account.set_password(password)
    account.must_change_password = True
    account.save()
    # The audit log is kept in Chinese whatever language the administrator reads the page in.
    with override(settings.LANGUAGE_CODE):
        detail = f"{account.get_role_display()}，{_unit(account)}"
    record_account_change(
        user=user,
        action=AccountAction.CREATE_ACCOUNT,
        target=account.username,
        detail=detail,
        request=request,
    )
    return account, password


@transaction.atomic
def update_account(*, user: User, account: User, request: HttpRequest | None = None) -> User:
    """Save an account's name, role, unit and whether it is active; a change of 启用/停用 is
    logged as such."""
    before = User.objects.get(pk=account.pk)
    account.save()
    if before.is_active != account.is_active:
        record_account_change(
            user=user,
            action=AccountAction.ACTIVATE if account.is_active else AccountAction.DEACTIVATE,
            target=account.username,
            request=request,
        )
    with override(settings.LANGUAGE_CODE):  # the audit log is kept in Chinese
        changed = [
            f"{User._meta.get_field(name).verbose_name}：{getattr(before, name) or '—'} → "
            f"{getattr(account, name) or '—'}"
            for name in ("username", "full_name", "role", "township", "county")
            if getattr(before, name) != getattr(account, name)
        ]
    if changed:
        record_account_change(
            user=user,
            action=AccountAction.UPDATE_ACCOUNT,
            target=account.username,
            detail="；".join(changed),
            request=request,
        )
    return account


@transaction.atomic
def reset_password(*, user: User, account: User, request: HttpRequest | None = None) -> str:
    """Replace the account's password by a one-time one (returned, shown once) that must be
    changed at the next sign-in; its failed sign-ins are cleared too."""
    password = one_time_password()
    account.set_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "password_changed_at", "must_change_password"])
    reset_sign_in_failures(username=account.username)
    record_account_change(
        user=user, action=AccountAction.RESET_PASSWORD, target=account.username, request=request
    )
    return password


def unlock(*, user: User, account: User, request: HttpRequest | None = None) -> int:
    """Lift the account's sign-in lockout at every address (as `manage.py unlock --user`):
    the failed attempts it counts are removed. Returns how many were."""
    removed = reset_sign_in_failures(username=account.username)
    record_account_change(
        user=user,
        action=AccountAction.UNLOCK,
        target=account.username,
        detail=f"清除 {removed} 条失败记录",
        request=request,
    )
    return removed
