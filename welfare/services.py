"""Writes of welfare visits (慰问/送温暖): one visit, or a whole campaign in one go; and of the
hardship register (困难职工档案) and medical mutual aid (职工医疗互助)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from members.models import Member
from unionportal.access import of_township, require_write
from unionportal.models import Township, User
from unionportal.pii import id_number_hash
from unionportal.record_services import StaleRecord, create_record, update_record
from unionportal.validators import normalize_id_number
from welfare.models import HardshipFile, HardshipReview, MutualAidEnrolment, WelfareVisit


@dataclass(frozen=True)
class Household:
    """One row of a campaign form: a household or person visited, with what they received."""

    name: str
    id_number: str = ""
    cash: Decimal = Decimal("0")
    goods_value: Decimal = Decimal("0")
    note: str = ""


@dataclass
class CampaignRowErrors(Exception):
    """Rows of a campaign that the models refused: {row index (0-based): {field: [messages]}}."""

    rows: dict[int, dict[str, list[str]]] = field(default_factory=dict)


def members_by_id_number(*, township: Township, id_numbers: Sequence[str]) -> dict[str, Member]:
    """The township's members with these resident ID numbers, in one query."""
    wanted = {normalize_id_number(n) for n in id_numbers if n}
    if not wanted:
        return {}
    hashes = [id_number_hash(n) for n in wanted]
    return {
        m.id_number: m
        for m in Member.objects.filter(township=township, id_number_hash__in=hashes).only(
            "id", "id_number", "township_id", "name"
        )
    }


def _with_member(*, township: Township, data: dict[str, Any]) -> dict[str, Any]:
    """The visit's data with `member` set to the township's member having its ID, if any."""
    id_number = normalize_id_number(data.get("id_number") or "")
    found = members_by_id_number(township=township, id_numbers=[id_number])
    return {**data, "id_number": id_number, "member": found.get(id_number)}


def create_visit(*, user: User, township: Township, data: dict[str, Any]) -> WelfareVisit:
    """Record one visit; a given ID number links it to the township's member with that ID."""
    return create_record(
        user=user,
        model=WelfareVisit,
        township=township,
        data=_with_member(township=township, data=data),
    )


def update_visit(
    *, user: User, visit: WelfareVisit, data: dict[str, Any], expected_version: int | None
) -> WelfareVisit:
    """Change one visit (optimistic locking as update_record); re-links the member by ID."""
    return update_record(
        user=user,
        record=visit,
        data=_with_member(township=visit.township, data=data),
        expected_version=expected_version,
    )


def record_campaign(
    *,
    user: User,
    township: Township,
    campaign: str,
    visited_on: datetime.date,
    beneficiary_type: str,
    fund_source: str,
    households: Sequence[Household],
) -> list[WelfareVisit]:
    """Record a campaign (e.g. 2026年春节送温暖): one visit per household, all or nothing.

    The campaign's name, date, beneficiary type and source of funds are shared by every row.
    A household's ID number links its visit to the township's member with that ID. Raises
    CampaignRowErrors naming the refused rows; then nothing is saved.
    """
    require_write(user, township)
    if not households:
        raise ValidationError(_("请至少填写一户慰问对象。"))
    members = members_by_id_number(township=township, id_numbers=[h.id_number for h in households])
    visits: list[WelfareVisit] = []
    errors = CampaignRowErrors()
    for index, household in enumerate(households):
        id_number = normalize_id_number(household.id_number)
        visit = WelfareVisit(
            township=township,
            created_by=user,
            updated_by=user,
            visited_on=visited_on,
            beneficiary_type=beneficiary_type,
            fund_source=fund_source,
            campaign=campaign,
            beneficiary_name=household.name,
            id_number=id_number,
            member=members.get(id_number),
            cash=household.cash,
            goods_value=household.goods_value,
            note=household.note,
        )
        try:
            visit.full_clean()
        except ValidationError as error:
            errors.rows[index] = error.message_dict
        visits.append(visit)
    if errors.rows:
        raise errors
    with transaction.atomic():
        for visit in visits:
            visit._history_user = user
            visit.save()
    return visits


def create_hardship_file(*, user: User, township: Township, data: dict[str, Any]) -> HardshipFile:
    """File a household on the hardship register; its ID links it to the township's member with
    that ID. A second open file for the same ID is refused (a database constraint)."""
    with transaction.atomic():
        file = create_record(
            user=user,
            model=HardshipFile,
            township=township,
            data=_with_member(township=township, data=data),
        )
        _keep_review_history(file=file, previous=None, user=user)
    return file


def update_hardship_file(
    *, user: User, file: HardshipFile, data: dict[str, Any], expected_version: int | None
) -> HardshipFile:
    """Change a file (a review, 脱困, a correction), optimistic locking as update_record; the
    member is linked again by the ID."""
    with transaction.atomic():
        saved = update_record(
            user=user,
            record=file,
            data=_with_member(township=file.township, data=data),
            expected_version=expected_version,
        )
        _keep_review_history(file=saved, previous=file.reviewed_on, user=user)
    return saved


def _keep_review_history(*, file: HardshipFile, previous: datetime.date | None, user: User) -> None:
    # The file's 复核日期 is the latest of its reviews: a newer one given with the file itself
    # (not through record_hardship_review) becomes a row of the history too.
    if file.reviewed_on and (previous is None or file.reviewed_on > previous):
        HardshipReview.objects.get_or_create(
            file=file, reviewed_on=file.reviewed_on, defaults={"recorded_by": user}
        )


def record_hardship_review(
    *,
    user: User,
    file: HardshipFile,
    reviewed_on: datetime.date,
    outcome: str,
    note: str = "",
    expected_version: int | None,
) -> HardshipReview:
    """Record one annual review (复核) of a file: a row of its review history, and the file's
    复核日期 moved to it when it is the latest (a change of the file, with its history and
    optimistic locking as update_record). All or nothing; a second review of the same day or
    one before the filing is refused with a Chinese message."""
    require_write(user, file.township_id)
    with transaction.atomic():
        current = (
            of_township(file.township_id, HardshipFile)
            .select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=file.pk)
        )
        if expected_version is None or current.version != expected_version:
            raise StaleRecord(current)
        review = HardshipReview(
            file=current, reviewed_on=reviewed_on, outcome=outcome, note=note, recorded_by=user
        )
        review.full_clean()
        review.save()
        if current.reviewed_on is None or reviewed_on > current.reviewed_on:
            update_record(
                user=user,
                record=current,
                data={"reviewed_on": reviewed_on},
                expected_version=current.version,
                reason="复核",
            )
    return review


def delete_hardship_review(*, user: User, review: HardshipReview) -> HardshipFile:
    """Remove a review recorded by mistake; the file's 复核日期 becomes the latest review left
    (none: empty), a change of the file with its history. All in one transaction."""
    require_write(user, review.file.township_id)
    with transaction.atomic():
        file = (
            of_township(review.file.township_id, HardshipFile)
            .select_for_update(of=("self",))
            .get(pk=review.file_id)
        )
        review.delete()
        latest = file.reviews.aggregate(latest=Max("reviewed_on"))["latest"]
        if latest == file.reviewed_on:
            return file
        return update_record(
            user=user,
            record=file,
            data={"reviewed_on": latest},
            expected_version=file.version,
            reason="删除复核",
        )


def create_mutual_aid(
    *, user: User, township: Township, data: dict[str, Any]
) -> MutualAidEnrolment:
    """Record one union's medical mutual aid for a year (one row per union per year)."""
    return create_record(user=user, model=MutualAidEnrolment, township=township, data=data)


def update_mutual_aid(
    *,
    user: User,
    enrolment: MutualAidEnrolment,
    data: dict[str, Any],
    expected_version: int | None,
) -> MutualAidEnrolment:
    return update_record(user=user, record=enrolment, data=data, expected_version=expected_version)
