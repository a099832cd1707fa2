"""Deleted records and their restoration, for administrators (django-simple-history keeps the
last state of every deleted record as a history entry of type '-')."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.kinds import KINDS, KINDS_BY_KEY
from unionportal.access import require_administrator
from unionportal.record_services import restore_record

SHOWN_PER_KIND = 100


@dataclass
class DeletedRecord:
    kind: str
    kind_label: str
    history_id: int
    record_id: int
    label: str
    township: str
    deleted_at: object
    deleted_by: str


def _kind_model(kind: str):
    found = KINDS_BY_KEY.get(kind)
    if found is None:
        raise Http404(_("没有这种记录。"))
    return found.label, found.model


def _require_administrator(request: HttpRequest) -> None:
    require_administrator(request.user, _("只有系统管理员可以查看和恢复已删除的记录。"))


def deleted_records(request: HttpRequest) -> HttpResponse:
    """Records deleted and not restored since, newest first, up to 100 per kind.

    One query per kind: the deletion entries whose record id no longer exists.
    """
    _require_administrator(request)
    found: list[DeletedRecord] = []
    for key, label, model in KINDS:
        entries = (
            model.history.filter(history_type="-")
            .exclude(id__in=model._default_manager.values("id"))
            .select_related("history_user", "township")
            .order_by("-history_date")[:SHOWN_PER_KIND]
        )
        for entry in entries:
            found.append(
                DeletedRecord(
                    kind=key,
                    kind_label=str(label),
                    history_id=entry.history_id,
                    record_id=entry.id,
                    label=_label(entry),
                    township=entry.township.name if entry.township else "",
                    deleted_at=entry.history_date,
                    deleted_by=entry.history_user.display_name if entry.history_user else _("系统"),
                )
            )
    found.sort(key=lambda d: d.deleted_at, reverse=True)
    return render(request, "records/deleted.html", {"deleted": found})


def _label(entry) -> str:
    try:
        return str(entry.instance)
    except Exception:  # a related record needed by __str__ is gone too
        return f"#{entry.id}"


@require_POST
def restore(request: HttpRequest, kind: str, history_id: int) -> HttpResponse:
    """Re-create one deleted record with its old id; its history continues."""
    _require_administrator(request)
    label, model = _kind_model(kind)
    entry = model.history.filter(history_type="-", history_id=history_id).first()
    if entry is None:
        raise Http404(_("没有这条删除记录。"))
    try:
        record = restore_record(user=request.user, historical=entry)
    except ValidationError as error:
        reasons = "；".join(error.messages)
        messages.error(
            request,
            _("无法恢复{label}“{_label}”：{reasons}").format(
                label=label, _label=_label(entry), reasons=reasons
            ),
        )
    else:
        messages.success(request, _("已恢复{label}“{record}”。").format(label=label, record=record))
    return redirect("deleted_records")
