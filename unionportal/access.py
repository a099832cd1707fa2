"""The access door: the only road from a user to township records.

Every query for records starts here. Township staff and chairs see and change their own
township; county reviewers see every township of their county and change nothing;
administrators see and change everything. A record outside what a user may see is a 404;
a change the user may not make is a 403.
"""

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from unionportal.models import County, Role, Township, User
from unionportal.validators import parse_id

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
        # The county's townships as a list of ids (one small query), not a join on townships
        # (township__county_id): PostgreSQL runs a join as a loop over the county's townships
        # and cannot combine the township with an OR-ed search (姓名 prefix OR 会员证号) on one
        # index inside it, so with ten counties on the server a reviewer's search for 王 read
        # the 王 range of all three million members once per township (1.4 s). With the ids
        # as constants it reads (township, name) once and knows how many rows to expect (25 ms;
        # docs/performance.md, 十个县). Read afresh each time: a township added to or moved
        # between counties counts at once.
        return {"township_id__in": _county_township_ids(user)}
    return {"pk__in": []}


# Bumped whenever a township is saved or deleted in this process, so that a user object that
# outlives a change to the townships (a test, a shell) reads its county's townships again.
_townships_changed = 0
_MEMO = "_county_township_ids"


def _forget_county_townships(**kwargs) -> None:
    global _townships_changed
    _townships_changed += 1


post_save.connect(_forget_county_townships, sender=Township, dispatch_uid="access_townships_saved")
post_delete.connect(
    _forget_county_townships, sender=Township, dispatch_uid="access_townships_deleted"
)


def _county_township_ids(user: User) -> list[int]:
    """The ids of the reviewer's county's townships, read once per user object: a request
    carries its own user object (read from the session), so a page that goes through the door
    several times (a member's page: the member, visits, cases, honours…) asks once."""
    memo = user.__dict__.get(_MEMO)
    if memo is None or memo[:2] != (user.county_id, _townships_changed):
        townships = Township.objects.filter(county_id=user.county_id).order_by("pk")
        memo = (user.county_id, _townships_changed, list(townships.values_list("pk", flat=True)))
        user.__dict__[_MEMO] = memo
    return memo[2]


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


def door(user: User) -> dict[str, int | tuple[int, ...]] | None:
    """visible()'s filter as values for unionportal.prepared (so that a query kept by shape
    states the user's own scope, never one frozen from another's): {} for an administrator,
    {"township_id": id} for a township's staff and chair, {"township_id__in": (ids…)} for a
    reviewer (the county's townships); None for a user who sees nothing."""
    scope = _visible_filter(user)
    if "pk__in" in scope:
        return None
    if "township_id__in" in scope:
        return {"township_id__in": tuple(scope["township_id__in"])}
    return scope


def through_door(model: type[RecordT], **door: Any) -> QuerySet[RecordT]:
    """The records of `model` within door(user)'s values: visible() for a prepared() build."""
    return mark_scoped(model._default_manager.filter(**door))


def visible_between(user: User, model: type[RecordT], other: str) -> QuerySet[RecordT]:
    """Records about two townships of one county (a member's transfer from its `township` to
    its `other` township): township staff and chairs see those of which their township is
    either end; reviewers those of their county; administrators all. Nobody else sees them."""
    scope = _visible_filter(user)
    if "township_id" in scope:
        township_id = scope["township_id"]
        found = model._default_manager.filter(
            Q(township_id=township_id) | Q(**{f"{other}_id": township_id})
        )
    else:
        found = model._default_manager.filter(**scope)
    return mark_scoped(found)


def get_visible_between_or_404(user: User, model: type[RecordT], other: str, pk: object) -> RecordT:
    try:
        return visible_between(user, model, other).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("记录不存在或无权查看。")) from None


def of_township(township: Township | int, model: type[RecordT]) -> QuerySet[RecordT]:
    """All records of `model` in one township, for services given a township a view already
    checked through this door (an import, a campaign, a summary)."""
    township_id = township if isinstance(township, int) else township.pk
    return mark_scoped(model._default_manager.filter(township_id=township_id))


def get_visible_or_404(user: User, model: type[RecordT], pk: object) -> RecordT:
    try:
        return visible(user, model).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("记录不存在或无权查看。")) from None


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
        raise PermissionDenied(_("您的角色只能查看，不能修改记录。"))


def get_writable_or_404(user: User, model: type[RecordT], pk: object) -> RecordT:
    """A record the user may see (else 404) and change (else 403)."""
    record = get_visible_or_404(user, model, pk)
    require_write(user, record.township_id)
    return record


# ---------------------------------------------------------------------------------------------
# Who may do what beyond reading and writing records


def county_in_view(user: User, chosen: object = None) -> County:
    """The county a county-wide page (dashboard, roll-up summary) is about: a reviewer's own
    county; for an administrator the one chosen (?county=<id>), else the first by name. Township
    staff and chairs may not look at a county: PermissionDenied; no county at all: Http404."""
    if user.is_administrator:
        counties = County.objects.order_by("name")
        pk = parse_id(chosen)
        county = (counties.filter(pk=pk).first() if pk is not None else None) or counties.first()
    elif user.is_reviewer and user.county_id:
        county = user.county
    else:
        raise PermissionDenied(_("县级页面仅供县总工会审阅人员和管理员使用。"))
    if county is None:
        raise Http404(_("还没有县总工会。"))
    return county


def can_edit_narrative(user: User, township: Township) -> bool:
    """The parts of a summary staff write (做法、不足、打算): whoever may change the
    township's records."""
    return can_write(user, township)


def can_edit_county_narrative(user: User, county: County) -> bool:
    """A county roll-up's own parts (做法、不足、打算) are the county federation's words: its
    reviewers write them for their county (administrators for any); township users cannot."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    return user.is_reviewer and user.county_id == county.pk


def can_finalise(user: User, township: Township) -> bool:
    """Chairs finalise their township's summaries (administrators may too); staff and reviewers
    cannot."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    return user.role == Role.CHAIR and user.township_id == township.pk


def can_set_targets(user: User, county: County) -> bool:
    """Targets and weights are the county federation's own data, not township records: its
    reviewers set them for their county (administrators for any county). Township users cannot."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    return user.is_reviewer and user.county_id == county.pk


def may_reveal(user: User, township_id: int | None) -> bool:
    """Whole ID numbers and mobiles are for the staff and chairs of the record's own township
    (and administrators): exactly those who may change its records. County reviewers never."""
    return can_write(user, township_id)


def may_use_second_factor(user: User) -> bool:
    """County reviewers and administrators may turn on 两步验证; township staff and chairs
    do not see the option."""
    return user.is_authenticated and (user.role == Role.REVIEWER or user.is_administrator)


def require_administrator(user: User, message: str = _("只有系统管理员可以使用此功能。")) -> None:
    """PermissionDenied for anyone but an administrator (deleted records, accounts)."""
    if not (user.is_authenticated and user.is_active and user.is_administrator):
        raise PermissionDenied(message)


# ---------------------------------------------------------------------------------------------
# Submitting summaries to the county federation (报送)


def can_submit_summary(user: User, township: Township) -> bool:
    """Whoever may finalise a township's summary sends it to the county (its chair,
    administrators)."""
    return can_finalise(user, township)


def can_review_submissions(user: User, county: County) -> bool:
    """The county federation receives or returns its townships' summaries and sets their
    deadline: its reviewers (administrators for any county). This changes no township record."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    return user.is_reviewer and user.county_id == county.pk


# ---------------------------------------------------------------------------------------------
# Accounts, counties and townships (账号管理)


def visible_accounts(user: User) -> QuerySet[User]:
    """Accounts this user may see in 账号管理: administrators every one; a county reviewer
    those of their county and its townships (read-only); township users none."""
    accounts = User.objects.all()
    if not user.is_authenticated or not user.is_active:
        return accounts.none()
    if user.is_administrator:
        return accounts
    if user.role == Role.REVIEWER and user.county_id:
        return accounts.filter(Q(county_id=user.county_id) | Q(township__county_id=user.county_id))
    return accounts.none()


def may_see_accounts(user: User) -> bool:
    return user.is_authenticated and user.is_active and (user.is_administrator or user.is_reviewer)


def may_manage_accounts(user: User) -> bool:
    """Creating, renaming and changing counties, townships and accounts: administrators only."""
    return user.is_authenticated and user.is_active and user.is_administrator
