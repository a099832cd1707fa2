"""Writes of the members app: members (with the county-wide active-membership rule and
transfers) on top of the shared record services. Each runs in one transaction with history."""

import datetime
import zlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from members.models import (
    LIFE_KINDS,
    STATUS_FLAGS,
    Employer,
    GrassrootsUnion,
    Member,
    MemberTransfer,
    MilestoneKind,
    MilestoneLevel,
    StarRating,
    TransferState,
    UnionMilestone,
)
from members.queries import not_ended_by
from unionportal import clock
from unionportal.access import of_township, require_write
from unionportal.masking import mask_id_number
from unionportal.models import Township, User
from unionportal.pii import id_number_hash
from unionportal.record_services import (
    StaleRecord,
    create_record,
    delete_record,
    update_record,
)
from unionportal.validators import normalize_id_number


def check_county_unique_active(
    *,
    township: Township,
    id_number: str,
    left_on: datetime.date | None,
    exclude_pk: int | None = None,
) -> None:
    """A person is an active member of at most one union in the whole county.

    The database cannot enforce this across townships, so the services check it inside the
    write transaction: SQLite's IMMEDIATE transactions serialise writers; on PostgreSQL an
    advisory lock on the ID number does. Call it inside transaction.atomic().

    The message names where the person is registered, with the ID masked: staff of another
    township may not see it whole.
    """
    today = clock.today()
    if left_on is not None and left_on <= today:
        return  # a member who has left does not hold an active place
    number = normalize_id_number(id_number)
    if connection.vendor == "postgresql":
        # No row to lock yet: two townships registering the same person at the same moment
        # queue on a lock named by the ID number until the first transaction ends.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(number.encode())])
    others = (
        Member.objects.filter(
            township__county_id=township.county_id, id_number_hash=id_number_hash(number)
        )
        .filter(not_ended_by(today))
        .select_related("township", "union")
    )
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    holder = others.first()
    if holder is None:
        return
    masked = mask_id_number(number)
    if holder.township_id == township.pk:
        where = _("本乡镇“{union}”").format(union=holder.union.name)
    else:
        where = f"{holder.township.name}（{holder.township.union_name}）"
    raise ValidationError(
        {
            "id_number": _(
                "身份证号 {number} 的人员已是{where}的在册会员，同一人在全县只能在一个工会登记。"
                "请先由原工会办理离会或转会。"
            ).format(number=masked, where=where)
        }
    )


def create_member(*, user: User, township: Township, data: dict[str, Any]) -> Member:
    """Register a member, refusing a person already active elsewhere in the county."""
    with transaction.atomic():
        check_county_unique_active(
            township=township, id_number=data.get("id_number", ""), left_on=data.get("left_on")
        )
        return create_record(user=user, model=Member, township=township, data=data)


def update_member(
    *, user: User, member: Member, data: dict[str, Any], expected_version: int | None
) -> Member:
    """Correct a member's record (optimistic locking; county-wide active rule re-checked)."""
    with transaction.atomic():
        check_county_unique_active(
            township=member.township,
            id_number=data.get("id_number", member.id_number),
            left_on=data.get("left_on", member.left_on),
            exclude_pk=member.pk,
        )
        return update_record(user=user, record=member, data=data, expected_version=expected_version)


def _history_reason(text: str) -> str:
    # simple_history keeps at most 100 characters of a change reason.
    return text if len(text) <= 100 else text[:99] + "…"


def _check_step_day(member: Member, day: datetime.date, what: str) -> None:
    """`what`: the step, 转会 or 离会, named in the page's language (pgettext 'transfer step')."""
    step = pgettext("transfer step", what)
    if day > clock.today():
        raise ValidationError({"day": _("{step}日期不能晚于今天。").format(step=step)})
    if day < member.joined_on:
        raise ValidationError({"day": _("{step}日期不能早于入会日期。").format(step=step)})
    if member.left_on and member.left_on <= clock.today():
        raise ValidationError(
            _("会员已于 {day} 离会，不能再办理{step}。").format(
                day=f"{member.left_on:%Y-%m-%d}", step=step
            )
        )


def _refuse_if_moving_out(member: Member, what: str) -> None:
    pending = (
        of_township(member.township_id, MemberTransfer)
        .filter(member=member, state=TransferState.PENDING)
        .select_related("to_township")
        .first()
    )
    if pending is not None:
        raise ValidationError(
            _(
                "{name}已有一笔转往{township}的跨乡镇转会（{day}）待接收，不能再办理{what}；"
                "如需改办，请先撤回那笔转会。"
            ).format(
                name=member.name,
                township=pending.to_township.name,
                day=f"{pending.day:%Y-%m-%d}",
                what=what,
            )
        )


def transfer_member(
    *,
    user: User,
    member: Member,
    union: GrassrootsUnion,
    employer: Employer | None = None,
    day: datetime.date | None = None,
    reason: str = "",
    expected_version: int | None,
) -> Member:
    """Move a member to another union of the same township (转会) on `day` for `reason`,
    with a new employer when one is given. The record, its card number and joining date stay;
    the history names the step: 转会（原工会 → 新工会，日期，原因）, with who and when."""
    day = day or clock.today()
    if union.township_id != member.township_id:
        raise ValidationError({"union": _("只能转到本乡镇的基层工会。")})
    if employer is not None and employer.township_id != member.township_id:
        raise ValidationError({"employer": _("工作单位必须是本乡镇的单位。")})
    if union.pk == member.union_id:
        raise ValidationError({"union": _("会员已在该工会，请选择另一个工会。")})
    if union.dissolved_on and union.dissolved_on <= day:
        raise ValidationError({"union": _("该工会已撤销，不能转入。")})
    _check_step_day(member, day, "转会")
    _refuse_if_moving_out(member, pgettext("transfer step", "转会"))
    data: dict[str, Any] = {"union": union}
    if employer is not None:
        data["employer"] = employer
    note = f"转会（{member.union.name} → {union.name}，{day:%Y-%m-%d}，{reason}）"
    return update_record(
        user=user,
        record=member,
        data=data,
        expected_version=expected_version,
        reason=_history_reason(note),
    )


def leave_member(
    *, user: User, member: Member, day: datetime.date, reason: str, expected_version: int | None
) -> Member:
    """A member leaves the union (离会) on `day` for `reason`: the membership ends that day
    (no longer 在册 from it, members/queries.py active_on); the history names the step
    离会（日期，原因）."""
    _check_step_day(member, day, "离会")
    _refuse_if_moving_out(member, pgettext("transfer step", "离会"))
    note = f"离会（{day:%Y-%m-%d}，{reason}）"
    return update_record(
        user=user,
        record=member,
        data={"left_on": day, "left_reason": reason},
        expected_version=expected_version,
        reason=_history_reason(note),
    )


# --- Transfers to another township of the county (跨乡镇转会)


def _locked(model, township_id: int, pk: int):
    # FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers.
    return (
        of_township(township_id, model)
        .select_for_update(of=("self",))
        .select_related("updated_by")
        .get(pk=pk)
    )


def _check_pending(transfer: MemberTransfer, what: str) -> None:
    """A step on a transfer someone has already accepted, returned or cancelled is refused,
    saying who did what when."""
    if transfer.state == TransferState.PENDING:
        return
    who = transfer.decided_by.display_name if transfer.decided_by else _("其他用户")
    when = timezone.localtime(transfer.decided_at) if transfer.decided_at else None
    raise ValidationError(
        _("这笔转会已由{who}于 {when} 办理为“{state}”，不能再{what}。").format(
            who=who,
            when=f"{when:%Y-%m-%d %H:%M}" if when else "—",
            state=transfer.get_state_display(),
            what=what,
        )
    )


def _history_member_reason(kind: str, township: str, day: datetime.date, reason: str) -> str:
    return _history_reason(f"转会{kind}（{township}，{day:%Y-%m-%d}，{reason}）")


def send_transfer(
    *,
    user: User,
    member: Member,
    to_township: Township,
    day: datetime.date,
    reason: str,
    proposed_unit: str = "",
    expected_version: int | None,
) -> MemberTransfer:
    """Start a member's transfer to another township of the county (转出): pending until the
    receiving township's staff accept or return it. The member still counts here until it is
    accepted; then up to the day before `day` (members/queries.py active_on). One pending
    transfer per member; `expected_version` is the member's, as the form showed it."""
    require_write(user, member.township_id)
    if to_township.pk == member.township_id:
        raise ValidationError(
            {"to_township": _("请选择本县的其他乡镇；本乡镇内转会请用上面的表。")}
        )
    if to_township.county_id != member.township.county_id:
        raise ValidationError({"to_township": _("只能转往本县（市、区）的乡镇。")})
    with transaction.atomic():
        current = _locked(Member, member.township_id, member.pk)
        if expected_version is None or current.version != expected_version:
            raise StaleRecord(current)
        _check_step_day(current, day, "转会")
        _refuse_if_moving_out(current, pgettext("transfer step", "转会"))
        return create_record(
            user=user,
            model=MemberTransfer,
            township=current.township,
            data={
                "member": current,
                "to_township": to_township,
                "day": day,
                "reason": reason,
                "proposed_unit": proposed_unit,
            },
        )


def _decide(transfer: MemberTransfer, user: User, state: str, note: str, **fields) -> None:
    transfer.state = state
    transfer.decided_by = user
    transfer.decided_at = clock.now()
    for name, value in fields.items():
        setattr(transfer, name, value)
    transfer.version += 1
    transfer.updated_by = user
    transfer._history_user = user
    transfer._change_reason = note
    transfer.full_clean()
    transfer.save()


def accept_transfer(
    *,
    user: User,
    transfer: MemberTransfer,
    union: GrassrootsUnion,
    employer: Employer | None,
    expected_version: int | None,
) -> MemberTransfer:
    """The receiving township takes the member in (转入): the member's record in the sending
    township ends on the transfer date (counted there up to the day before), and a record in
    the receiving one starts on it with the chosen union and employer, marked transferred in
    (no 新发展会员). Both histories name the step 转会转出/转入 with the other township."""
    require_write(user, transfer.to_township_id)
    with transaction.atomic():
        current = _locked(MemberTransfer, transfer.township_id, transfer.pk)
        _check_pending(current, pgettext("transfer step", "接收"))
        if expected_version is None or current.version != expected_version:
            raise StaleRecord(current)
        to_township, day = current.to_township, current.day
        if union.township_id != to_township.pk:
            raise ValidationError({"union": _("所属工会必须是本乡镇的基层工会。")})
        if employer is not None and employer.township_id != to_township.pk:
            raise ValidationError({"employer": _("工作单位必须是本乡镇的单位。")})
        if union.dissolved_on and union.dissolved_on <= day:
            raise ValidationError({"union": _("该工会已撤销，不能转入。")})
        member = _locked(Member, current.township_id, current.member_id)
        if member.left_on and member.left_on <= clock.today():
            raise ValidationError(
                _("会员已于 {day} 在原乡镇离会，不能再接收；请退回这笔转会。").format(
                    day=f"{member.left_on:%Y-%m-%d}"
                )
            )
        if day < member.joined_on:
            raise ValidationError(
                _("转会日期早于会员在原乡镇的入会日期 {day}，请退回这笔转会。").format(
                    day=f"{member.joined_on:%Y-%m-%d}"
                )
            )
        # One record per person in a township (member_id_hash_unique_in_township): a person
        # who was a member here before cannot get a second record.
        earlier = of_township(to_township.pk, Member).filter(id_number_hash=member.id_number_hash)
        if held := earlier.first():
            raise ValidationError(
                _(
                    "本乡镇已有身份证号 {id} 的会员记录（{name}），同一人在一个乡镇只能有一条"
                    "会员记录，不能再转入。请退回这笔转会并写明情况。"
                ).format(id=mask_id_number(member.id_number), name=held.name)
            )
        from_name = member.township.name
        member.left_on = day
        member.left_reason = _history_reason(f"转出至{to_township.name}：{current.reason}")
        member.version += 1
        member.updated_by = user
        member._history_user = user
        member._change_reason = _history_member_reason(
            "转出", f"转往{to_township.name}", day, current.reason
        )
        member.full_clean()
        member.save()
        received = Member(
            township=to_township,
            name=member.name,
            id_number=member.id_number,
            union=union,
            employer=employer,
            joined_on=day,
            mobile=member.mobile,
            ethnicity=member.ethnicity,
            education=member.education,
            is_migrant=member.is_migrant,
            model_worker=member.model_worker,
            card_number=member.card_number,
            transferred_in=True,
            created_by=user,
            updated_by=user,
        )
        check_county_unique_active(township=to_township, id_number=member.id_number, left_on=None)
        received.full_clean()
        received._history_user = user
        received._change_reason = _history_member_reason(
            "转入", f"自{from_name}转入", day, current.reason
        )
        received.save()
        _decide(current, user, TransferState.ACCEPTED, "接收", received_member=received)
        return current


def return_transfer(
    *, user: User, transfer: MemberTransfer, remark: str, expected_version: int | None
) -> MemberTransfer:
    """The receiving township returns the transfer (退回) with a remark; the member stays
    where they were, and the sending township may send it again."""
    require_write(user, transfer.to_township_id)
    with transaction.atomic():
        current = _locked(MemberTransfer, transfer.township_id, transfer.pk)
        _check_pending(current, pgettext("transfer step", "退回"))
        if expected_version is None or current.version != expected_version:
            raise StaleRecord(current)
        _decide(
            current, user, TransferState.RETURNED, _history_reason(f"退回：{remark}"), remark=remark
        )
        return current


def cancel_transfer(
    *, user: User, transfer: MemberTransfer, expected_version: int | None
) -> MemberTransfer:
    """The sending township withdraws a transfer still pending (撤回)."""
    require_write(user, transfer.township_id)
    with transaction.atomic():
        current = _locked(MemberTransfer, transfer.township_id, transfer.pk)
        _check_pending(current, pgettext("transfer step", "撤回"))
        if expected_version is None or current.version != expected_version:
            raise StaleRecord(current)
        _decide(current, user, TransferState.CANCELLED, "撤回")
        return current


# --- Union milestones (工会建设) and the union's status


def current_status(milestones: Iterable[UnionMilestone], day: datetime.date) -> dict[str, Any]:
    """The union flags that a union's milestones (all of one union) imply on `day`, for the
    事项 that have one on or before the day: its page and lists show the status of today."""
    latest: dict[str, UnionMilestone] = {}
    for milestone in sorted(milestones, key=lambda m: (m.happened_on, m.pk or 0)):
        if milestone.happened_on <= day:
            group = "life" if milestone.kind in LIFE_KINDS else milestone.kind
            latest[group] = milestone
    flags: dict[str, Any] = {}
    for kind, flag in STATUS_FLAGS.items():
        if kind in latest:
            flags[flag] = latest[kind].level != MilestoneLevel.NONE
    if MilestoneKind.STAR in latest:
        flags["star"] = latest[MilestoneKind.STAR].level or StarRating.NONE
    if MilestoneKind.ELECTION in latest:
        flags["chair_name"] = latest[MilestoneKind.ELECTION].chair_name
        flags["chair_is_migrant"] = latest[MilestoneKind.ELECTION].chair_is_migrant
    if "life" in latest:
        life = latest["life"]
        flags["dissolved_on"] = life.happened_on if life.kind == MilestoneKind.DISSOLVED else None
    return flags


def sync_union_status(*, user: User | None, union: GrassrootsUnion) -> GrassrootsUnion:
    """Set the union's flags (规范化, 星级, 职代会制度, 厂务公开, 女职工委员会, chair, 撤销日期) to
    what its milestones say of today; a change is saved with history. Call inside the write's
    transaction, after the milestone is written."""
    milestones = of_township(union.township_id, UnionMilestone).filter(union=union)
    flags = current_status(milestones, clock.today())
    changed = {k: v for k, v in flags.items() if getattr(union, k) != v}
    if not changed:
        return union
    for name, value in changed.items():
        setattr(union, name, value)
    union.version += 1
    union.updated_by = user
    union._history_user = user
    union._change_reason = "依工会建设记录更新"
    union.save()
    return union


def _check_milestone_union(union: GrassrootsUnion | None, data: dict[str, Any]) -> None:
    kind, day = data.get("kind"), data.get("happened_on")
    if union is None or day is None:
        return
    if kind == MilestoneKind.REFOUNDED:
        dissolved = union.dissolved_on
        ever = of_township(union.township_id, UnionMilestone).filter(
            union=union, kind=MilestoneKind.DISSOLVED
        )
        if dissolved is None and not ever.exists():
            raise ValidationError({"kind": _("该工会未撤销，不能登记重建。")})
        if dissolved is not None and day < dissolved:
            raise ValidationError({"happened_on": _("重建日期不能早于撤销日期。")})


def create_milestone(*, user: User, township: Township, data: dict[str, Any]) -> UnionMilestone:
    """Record a milestone of a union and bring the union's present status up to date (a 重建
    re-activates a dissolved union; a 撤销 dissolves it)."""
    with transaction.atomic():
        _check_milestone_union(data.get("union"), data)
        milestone = create_record(user=user, model=UnionMilestone, township=township, data=data)
        sync_union_status(user=user, union=milestone.union)
        return milestone


def update_milestone(
    *, user: User, milestone: UnionMilestone, data: dict[str, Any], expected_version: int | None
) -> UnionMilestone:
    """Correct a milestone (optimistic locking); the union's present status follows."""
    with transaction.atomic():
        _check_milestone_union(data.get("union", milestone.union), data)
        saved = update_record(
            user=user, record=milestone, data=data, expected_version=expected_version
        )
        sync_union_status(user=user, union=saved.union)
        if milestone.union_id != saved.union_id:
            earlier = of_township(milestone.township_id, GrassrootsUnion).get(pk=milestone.union_id)
            sync_union_status(user=user, union=earlier)
        return saved


def delete_milestone(*, user: User, milestone: UnionMilestone) -> None:
    """Delete a milestone; the union's present status follows its remaining milestones."""
    with transaction.atomic():
        union = milestone.union
        delete_record(user=user, record=milestone)
        sync_union_status(user=user, union=union)


def status_milestones(
    *,
    union: GrassrootsUnion,
    before: dict[str, Any],
    day: datetime.date,
) -> list[UnionMilestone]:
    """The milestones that the union's yes/no columns imply (the union form's and the 基层工会
    sheet's shortcut): one for each status that differs from `before`, dated `day`; a 撤销日期
    set is a 撤销 on that date, one cleared a 重建 on `day`. Unsaved, not validated."""

    def made(kind: str, **fields) -> UnionMilestone:
        return UnionMilestone(
            township_id=union.township_id, union=union, kind=kind, happened_on=day, **fields
        )

    found: list[UnionMilestone] = []
    for kind, flag in STATUS_FLAGS.items():
        if bool(getattr(union, flag)) != bool(before.get(flag, False)):
            level = "" if getattr(union, flag) else MilestoneLevel.NONE
            found.append(made(kind, level=level))
    if (union.star or StarRating.NONE) != (before.get("star") or StarRating.NONE):
        found.append(made(MilestoneKind.STAR, level=union.star or StarRating.NONE))
    if (union.chair_name, bool(union.chair_is_migrant)) != (
        before.get("chair_name") or "",
        bool(before.get("chair_is_migrant")),
    ) and (union.chair_name or union.chair_is_migrant):
        found.append(
            made(
                MilestoneKind.ELECTION,
                chair_name=union.chair_name,
                chair_is_migrant=union.chair_is_migrant,
            )
        )
    if union.dissolved_on != before.get("dissolved_on"):
        if union.dissolved_on is not None:
            found.append(made(MilestoneKind.DISSOLVED))
            found[-1].happened_on = union.dissolved_on
        elif before.get("dissolved_on") is not None:
            found.append(made(MilestoneKind.REFOUNDED))
    return found


UNION_STATUS_FIELDS = (
    *STATUS_FLAGS.values(),
    "star",
    "chair_name",
    "chair_is_migrant",
    "dissolved_on",
)


def _save_status_milestones(
    *, user: User, union: GrassrootsUnion, before: dict[str, Any], day: datetime.date
) -> None:
    for milestone in status_milestones(union=union, before=before, day=day):
        existing = (
            of_township(union.township_id, UnionMilestone)
            .filter(union=union, kind=milestone.kind, happened_on=milestone.happened_on)
            .first()
        )
        if existing is not None:  # a second change on the same day corrects the first
            for name in ("level", "chair_name", "chair_is_migrant"):
                setattr(existing, name, getattr(milestone, name))
            existing.version += 1
            existing.updated_by = user
            existing._history_user = user
            existing.full_clean()
            existing.save()
            continue
        milestone.created_by = milestone.updated_by = user
        milestone.note = "由基层工会信息登记"
        milestone._history_user = user
        milestone.full_clean()
        milestone.save()


def create_union(*, user: User, township: Township, data: dict[str, Any]) -> GrassrootsUnion:
    """Register a union; its yes/no statuses become milestones dated its founding day. A name
    held by a dissolved union re-founds that union (重建 dated the new founding date) instead of
    being refused."""
    with transaction.atomic():
        dissolved = (
            of_township(township, GrassrootsUnion)
            .filter(name=data.get("name"), dissolved_on__isnull=False)
            .first()
        )
        if dissolved is not None:
            day = data.get("founded_on") or clock.today()
            if day < dissolved.dissolved_on:
                when = f"{dissolved.dissolved_on:%Y-%m-%d}"
                raise ValidationError(
                    {
                        "founded_on": _("该工会已于{day}撤销，重建日期不能早于撤销日期。").format(
                            day=when
                        )
                    }
                )
            before = {name: getattr(dissolved, name) for name in UNION_STATUS_FIELDS}
            create_milestone(
                user=user,
                township=township,
                data={"union": dissolved, "kind": MilestoneKind.REFOUNDED, "happened_on": day},
            )
            dissolved.refresh_from_db()
            changes = {
                k: v
                for k, v in data.items()
                if k in UNION_STATUS_FIELDS and k != "dissolved_on" and v is not None
            }
            if changes:
                before = {name: getattr(dissolved, name) for name in UNION_STATUS_FIELDS}
                union = update_record(
                    user=user, record=dissolved, data=changes, expected_version=dissolved.version
                )
                _save_status_milestones(user=user, union=union, before=before, day=day)
                return union
            return dissolved
        union = create_record(user=user, model=GrassrootsUnion, township=township, data=data)
        _save_status_milestones(user=user, union=union, before={}, day=union.founded_on)
        return union


def update_union(
    *, user: User, union: GrassrootsUnion, data: dict[str, Any], expected_version: int | None
) -> GrassrootsUnion:
    """Correct a union; a changed yes/no status, chair or 撤销日期 is recorded as a milestone
    dated today (the shortcut of spec/workbook.md), so past periods keep their status."""
    with transaction.atomic():
        # As stored: the form has already put the new values on the instance it was given.
        stored = of_township(union.township_id, GrassrootsUnion).get(pk=union.pk)
        before = {name: getattr(stored, name) for name in UNION_STATUS_FIELDS}
        saved = update_record(user=user, record=union, data=data, expected_version=expected_version)
        _save_status_milestones(user=user, union=saved, before=before, day=clock.today())
        return saved
