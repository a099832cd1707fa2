"""Pages of transfers to another township of the county (跨乡镇转会): the sending township starts
one from the member's 转会 page, the receiving township accepts or returns it, the sender may
withdraw it while pending. Both townships (and the county, read-only) see the transfer; the
member's record stays visible only to its own township. Thin views: the access door fetches
(visible_between), a form validates, a service in members/services.py writes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from members import services
from members.forms import TransferAcceptForm, TransferOutForm, TransferReturnForm
from members.models import Member, MemberTransfer, TransferState
from unionportal.access import (
    can_write,
    get_visible_between_or_404,
    get_writable_or_404,
    visible_between,
)
from unionportal.record_services import StaleRecord
from unionportal.records import history_entries, record_form_page
from unionportal.validators import parse_id

PAGE_SIZE = 50
# The transfer's second township, beside its own (the sending one).
OTHER = "to_township"


def _transfer_or_404(request: HttpRequest, pk: int) -> MemberTransfer:
    return get_visible_between_or_404(request.user, MemberTransfer, OTHER, pk)


def _receiving(request: HttpRequest, transfer: MemberTransfer) -> None:
    if not can_write(request.user, transfer.to_township_id):
        raise PermissionDenied(_("只有转入乡镇的工作人员可以接收或退回这笔转会。"))


def _detail_url(transfer: MemberTransfer) -> str:
    return reverse("members:transfer_detail", args=[transfer.pk])


@require_http_methods(["GET", "POST"])
def member_transfer_out(request: HttpRequest, pk: int) -> HttpResponse:
    """转往其他乡镇: staff of the member's township choose the receiving township of the county,
    the day and the reason; the transfer waits for the receiving township."""
    member = get_writable_or_404(request.user, Member, pk)
    form = TransferOutForm(request.POST or None, member=member)
    back = reverse("members:member_transfer", args=[member.pk])
    return record_form_page(
        request,
        form,
        save=lambda: services.send_transfer(
            user=request.user,
            member=member,
            to_township=form.cleaned_data["to_township"],
            day=form.cleaned_data["day"],
            reason=form.cleaned_data["reason"],
            proposed_unit=form.cleaned_data["proposed_unit"],
            expected_version=form.cleaned_data["version"],
        ),
        saved_message=lambda sent: _("已将{name}转往{township}，待对方乡镇接收。").format(
            name=member.name, township=sent.to_township.name
        ),
        saved_url=_detail_url,
        title=_("转往其他乡镇：{name}（现属{township}“{union}”）").format(
            name=member.name, township=member.township.name, union=member.union
        ),
        cancel_url=back,
        template="members/transfer_form.html",
        context={"submit_label": _("提交转出"), "record": member},
    )


def transfer_list(request: HttpRequest) -> HttpResponse:
    """跨乡镇转会: the transfers into and out of the user's township (the county's, read-only,
    for a reviewer), pending first; ?direction=in|out and ?state= narrow it."""
    user = request.user
    transfers = visible_between(user, MemberTransfer, OTHER).select_related(
        "member", "township", "to_township", "created_by", "decided_by"
    )
    own = user.township_id if user.is_township_user and not user.is_administrator else None
    direction = request.GET.get("direction", "")
    if own and direction == "in":
        transfers = transfers.filter(to_township_id=own)
    elif own and direction == "out":
        transfers = transfers.filter(township_id=own)
    state = request.GET.get("state", "")
    if state in TransferState.values:
        transfers = transfers.filter(state=state)
    township = parse_id(request.GET.get("township"))
    if township is not None and not own:
        transfers = transfers.filter(Q(township_id=township) | Q(to_township_id=township))
    # Pending first, then the latest.
    waiting = Case(When(state=TransferState.PENDING, then=Value(0)), default=Value(1))
    transfers = transfers.order_by(waiting, "-created_at", "-id")
    page = Paginator(transfers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/transfer_list.html",
        {
            "page": page,
            "own": own,
            "direction": direction if own else "",
            "state": state if state in TransferState.values else "",
            "states": TransferState.choices,
        },
    )


def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One transfer: the member as the receiving township needs to judge it (name, masked ID,
    union and joining date in the sending township), its steps with who and when, and the
    actions the user may take."""
    transfer = _transfer_or_404(request, pk)
    pending = transfer.state == TransferState.PENDING
    user = request.user
    return render(
        request,
        "members/transfer_detail.html",
        {
            "record": transfer,
            "kind_label": _("跨乡镇转会"),
            "list_url": reverse("members:transfer_list"),
            "history": history_entries(transfer),
            "may_receive": pending and can_write(user, transfer.to_township_id),
            "may_cancel": pending and can_write(user, transfer.township_id),
            "sender_side": can_write(user, transfer.township_id),
            "receiver_side": can_write(user, transfer.to_township_id),
        },
    )


@require_http_methods(["GET", "POST"])
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """接收: the receiving township chooses the member's union and employer there."""
    transfer = _transfer_or_404(request, pk)
    _receiving(request, transfer)
    form = TransferAcceptForm(request.POST or None, transfer=transfer)
    return record_form_page(
        request,
        form,
        save=lambda: services.accept_transfer(
            user=request.user,
            transfer=transfer,
            union=form.cleaned_data["union"],
            employer=form.cleaned_data["employer"],
            expected_version=form.cleaned_data["version"],
        ),
        saved_message=lambda done: _("已接收{name}，{day}起为本乡镇会员。").format(
            name=transfer.member.name, day=f"{done.day:%Y-%m-%d}"
        ),
        saved_url=lambda done: reverse("members:member_detail", args=[done.received_member_id]),
        title=_("接收转会：{name}（自{township}）").format(
            name=transfer.member.name, township=transfer.township.name
        ),
        cancel_url=_detail_url(transfer),
        template="members/transfer_form.html",
        context={"submit_label": _("接收"), "transfer": transfer},
    )


@require_http_methods(["GET", "POST"])
def transfer_return(request: HttpRequest, pk: int) -> HttpResponse:
    """退回: the receiving township says why it does not take the member in."""
    transfer = _transfer_or_404(request, pk)
    _receiving(request, transfer)
    form = TransferReturnForm(request.POST or None, transfer=transfer)
    return record_form_page(
        request,
        form,
        save=lambda: services.return_transfer(
            user=request.user,
            transfer=transfer,
            remark=form.cleaned_data["remark"],
            expected_version=form.cleaned_data["version"],
        ),
        saved_message=lambda done: _("已退回{name}的转会。").format(name=transfer.member.name),
        saved_url=_detail_url,
        title=_("退回转会：{name}（自{township}）").format(
            name=transfer.member.name, township=transfer.township.name
        ),
        cancel_url=_detail_url(transfer),
        template="members/transfer_form.html",
        context={"submit_label": _("退回"), "transfer": transfer},
    )


@require_POST
def transfer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """撤回: the sending township withdraws a transfer still pending."""
    transfer = _transfer_or_404(request, pk)
    if not can_write(request.user, transfer.township_id):
        raise PermissionDenied(_("只有转出乡镇的工作人员可以撤回这笔转会。"))
    try:
        services.cancel_transfer(
            user=request.user,
            transfer=transfer,
            expected_version=parse_id(request.POST.get("version")),
        )
    except StaleRecord as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已撤回{name}的转会。").format(name=transfer.member.name))
    return redirect(_detail_url(transfer))
