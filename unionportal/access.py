"""The access door: the only road from a user to township records.

Every query for records starts here. Township staff and chairs see and change their own
township; county reviewers see every township of their county and change nothing;
administrators see and change everything. A record outside what a user may see is a 404;
a change the user may not make is a 403.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from unionportal.models import Role, Township, User

RecordT = TypeVar("RecordT", bound=Model)


def visible_townships(user: User) -> QuerySet[Township]:
    """Townships whose records this user may read."""
    townships = Township.objects.select_related("county")
    if not user.is_authenticated or not user.is_active:
        return townships.none()
    if user.is_administrator:
        return townships.all()
    if user.role in (Role.STAFF, Role.CHAIR) and user.township_id:
        return townships.filter(pk=user.township_id)
    if user.role == Role.REVIEWER and user.county_id:
        return townships.filter(county_id=user.county_id)
    return townships.none()


def writable_townships(user: User) -> QuerySet[Township]:
    """Townships whose records this user may create, change and delete."""
    if not user.is_authenticated or not user.is_active:
        return Township.objects.none()
    if user.is_administrator:
        return Township.objects.all()
    if user.role in (Role.STAFF, Role.CHAIR) and user.township_id:
        return Township.objects.filter(pk=user.township_id)
    return Township.objects.none()


def may_add_records(user: User) -> bool:
    """Whether writable_townships(user) holds any township, without a query where the role says
    (staff and chairs of a township may; reviewers and others may not)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return Township.objects.exists()
    return user.role in (Role.STAFF, Role.CHAIR) and bool(user.township_id)


def _visible_filter(user: User) -> dict:
    if not user.is_authenticated or not user.is_active:
        return {"pk__in": []}
    if user.is_administrator:
        return {}
    if user.role in (Role.STAFF, Role.CHAIR) and user.township_id:
        return {"township_id": user.township_id}
    if user.role == Role.REVIEWER and user.county_id:
        return {"township__county_id": user.county_id}
    return {"pk__in": []}


# Set on the Query of every queryset the door hands out. Query.clone() copies the instance's
# __dict__, so the mark survives .filter(), .order_by(), .values() and the like; the test-only
# guard (unionportal/tests/scope_guard.py) uses it to tell a door-made query from a bare one.
SCOPED = "township_scoped"


def mark_scoped(queryset: QuerySet[RecordT]) -> QuerySet[RecordT]:
    """Declare that this queryset was already narrowed to what the user may see."""
    setattr(queryset.query, SCOPED, True)
    return queryset


def is_scoped(queryset: QuerySet) -> bool:
    return getattr(queryset.query, SCOPED, False)


def visible(user: User, model: type[RecordT]) -> QuerySet[RecordT]:
    """All records of `model` this user may read (one township, a county, or everything)."""
    return mark_scoped(model._default_manager.filter(**_visible_filter(user)))


def of_township(township: Township | int, model: type[RecordT]) -> QuerySet[RecordT]:
    """All records of `model` in one township, for services given a township a view already
    checked through this door (an import, a campaign, a summary)."""
    township_id = township if isinstance(township, int) else township.pk
    return mark_scoped(model._default_manager.filter(township_id=township_id))


def get_visible_or_404(user: User, model: type[RecordT], pk: object) -> RecordT:
    try:
        return visible(user, model).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或无权查看。") from None


def can_write(user: User, township: Township | int | None) -> bool:
    """Whether the user may create, change or delete records of this township."""
    if township is None or not user.is_authenticated or not user.is_active:
        return False
    township_id = township if isinstance(township, int) else township.pk
    if user.is_administrator:
        return True
    return user.role in (Role.STAFF, Role.CHAIR) and user.township_id == township_id


def require_write(user: User, township: Township | int | None) -> None:
    if not can_write(user, township):
        raise PermissionDenied("您的角色只能查看，不能修改记录。")


def get_writable_or_404(user: User, model: type[RecordT], pk: object) -> RecordT:
    """A record the user may see (else 404) and change (else 403)."""
    record = get_visible_or_404(user, model, pk)
    require_write(user, record.township_id)
    return record
