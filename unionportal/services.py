"""Writes to the tenancy layer: county federations (县总工会) and township unions (乡镇工会)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from unionportal.models import County, Township

_CODE_MAX = Township._meta.get_field("code").max_length
_NAME_MAX = Township._meta.get_field("name").max_length
_COUNTY_MAX = County._meta.get_field("name").max_length


def _check_input(code: str, name: str, county_name: str | None) -> None:
    problems = []
    if not code:
        problems.append(_("乡镇代码不能为空。"))
    else:
        try:
            validate_slug(code)
        except ValidationError:
            problems.append(
                _(
                    "乡镇代码“{code}”无效：只能使用英文字母、数字、连字符（-）和下划线（_）。"
                ).format(code=code)
            )
        if len(code) > _CODE_MAX:
            problems.append(_("乡镇代码不能超过{count}个字符。").format(count=_CODE_MAX))
    if not name:
        problems.append(_("乡镇名称不能为空。"))
    elif len(name) > _NAME_MAX:
        problems.append(_("乡镇名称不能超过{count}个字符。").format(count=_NAME_MAX))
    if county_name is not None:
        if not county_name:
            problems.append(_("县总工会名称不能为空。"))
        elif len(county_name) > _COUNTY_MAX:
            problems.append(_("县总工会名称不能超过{count}个字符。").format(count=_COUNTY_MAX))
    if problems:
        raise ValidationError(problems)


def _county_for_new_township() -> County:
    """The only county there is; a new township without --county cannot guess among several."""
    names = list(County.objects.order_by("name").values_list("name", flat=True)[:11])
    if not names:
        raise ValidationError(_("还没有任何县总工会，请用 --county 指定新乡镇所属的县总工会。"))
    if len(names) > 1:
        listed = _("、").join(names[:10]) + (_("等") if len(names) > 10 else "")
        raise ValidationError(
            _("已有多个县总工会（{names}），请用 --county 指定新乡镇属于哪一个。").format(
                names=listed
            )
        )
    return County.objects.get(name=names[0])


def _name_clash(*, county: County, name: str, code: str) -> ValidationError | None:
    other = Township.objects.filter(county=county, name=name).exclude(code=code).first()
    if other is None:
        return None
    return ValidationError(
        _("{county}已有名为“{name}”的乡镇工会（代码 {code}），同一县内乡镇名称不能重复。").format(
            county=county.name, name=name, code=other.code
        )
    )


def add_township(*, code: str, name: str, county_name: str | None) -> tuple[Township, bool]:
    """Create the township union CODE, or rename it when CODE already exists.

    A county named by `county_name` is created when new. A new township without a county name
    joins the only county there is; with none or several, that is an error. An existing
    township stays in its county: naming a different one is refused, because moving a
    township would silently hand its records to another county's reviewers.

    Returns the township and whether it was created. Raises ValidationError with Chinese
    messages and writes nothing when the input is invalid.
    """
    code = code.strip()
    name = name.strip()
    county_name = county_name.strip() if county_name is not None else None
    _check_input(code, name, county_name)

    try:
        with transaction.atomic():
            township = Township.objects.select_for_update().filter(code=code).first()
            if township is not None:
                if county_name is not None and county_name != township.county.name:
                    raise ValidationError(
                        _(
                            "乡镇代码 {code} 已属于{county}，不能改到{other}；"
                            "本命令只能新建乡镇或修改名称。"
                        ).format(code=code, county=township.county.name, other=county_name)
                    )
                clash = _name_clash(county=township.county, name=name, code=code)
                if clash is not None:
                    raise clash
                if township.name != name:
                    township.name = name
                    township.save(update_fields=["name"])
                return township, False

            if county_name is not None:
                county, _created = County.objects.get_or_create(name=county_name)
            else:
                county = _county_for_new_township()
            clash = _name_clash(county=county, name=name, code=code)
            if clash is not None:
                raise clash
            return Township.objects.create(code=code, name=name, county=county), True
    except IntegrityError:
        # Another process wrote the same code or name between our check and our write
        # (possible on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers).
        raise ValidationError(
            _("乡镇代码 {code} 或名称“{name}”刚被另一操作占用，请核对后重试。").format(
                code=code, name=name
            )
        ) from None
