"""What the page shell (templates/base.html) shows about the signed-in user."""

from functools import cached_property

from django.http import HttpRequest
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from portal.kinds import KINDS
from unionportal.models import Role, User

ROLE_LABELS = {
    Role.STAFF: _("录入员"),
    Role.CHAIR: _("主席"),
    Role.REVIEWER: _("县总审阅"),
    Role.ADMIN: _("管理员"),
}


class Shell:
    """The navbar's view of a user. Lazy: admin pages render with this context too, and only
    the attributes a template reads cost a query."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def is_administrator(self) -> bool:
        return self.user.is_administrator

    @cached_property
    def is_township_user(self) -> bool:
        return self.user.is_township_user and not self.is_administrator

    @cached_property
    def is_chair(self) -> bool:
        return self.is_township_user and self.user.role == Role.CHAIR

    @cached_property
    def is_reviewer(self) -> bool:
        return self.user.is_reviewer and not self.is_administrator

    @cached_property
    def role_label(self) -> str:
        if self.is_administrator:
            return ROLE_LABELS[Role.ADMIN]
        # Not .get(role, get_role_display()): that default would be worked out on every page.
        label = ROLE_LABELS.get(self.user.role)
        return self.user.get_role_display() if label is None else label

    @cached_property
    def unit_name(self) -> str:
        """The township union or county federation the user works for."""
        if self.is_administrator:
            return _("全部乡镇")
        if self.is_township_user and self.user.township_id:
            return self.user.township.union_name
        if self.is_reviewer and self.user.county_id:
            return self.user.county.federation_name
        return ""

    @property
    def record_kinds(self) -> list[tuple[str, str, str | None]]:
        """(key, label, list page address) per kind; None while a kind's pages are not built."""
        kinds = []
        for kind in KINDS:
            try:
                url = kind.list_url
            except NoReverseMatch:
                url = None
            kinds.append((kind.key, kind.label, url))
        return kinds


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"shell": Shell(user)}
