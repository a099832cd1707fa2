"""账号管理 pages: counties, townships and accounts for administrators; a county reviewer sees
the county's accounts read-only."""

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal import accounts
from unionportal import clock
from unionportal.access import may_manage_accounts, may_see_accounts, visible_accounts
from unionportal.models import County, Township, User

REFUSED = gettext_lazy("只有系统管理员可以管理账号、县总工会和乡镇工会。")


class CountyForm(forms.ModelForm):
    class Meta:
        model = County
        fields = ["name"]


class TownshipForm(forms.ModelForm):
    class Meta:
        model = Township
        fields = ["county", "name", "code"]
        help_texts = {
            "code": gettext_lazy(
                "英文字母、数字或连字符，如 cidong；用于导入导出，建好后一般不改。"
            )
        }


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "role", "township", "county", "is_active"]
        labels = {"is_active": gettext_lazy("启用（取消勾选即停用账号，不能再登录）")}
        help_texts = {
            "username": gettext_lazy("登录用的用户名：字母、数字和 @.+-_。"),
            "township": gettext_lazy("录入员、主席须选乡镇工会。"),
            "county": gettext_lazy("县总审阅须选县总工会；管理员两者都不选。"),
        }


def _require_manager(request: HttpRequest) -> None:
    if not may_manage_accounts(request.user):
        raise PermissionDenied(str(REFUSED))


def _locked_usernames(usernames: list[str]) -> set[str]:
    cutoff = clock.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=cutoff,
        ).values_list("username", flat=True)
    )


def account_list(request: HttpRequest) -> HttpResponse:
    """Every account the user may see, with role, unit, last sign-in and lockout."""
    if not may_see_accounts(request.user):
        raise PermissionDenied(_("账号列表仅供管理员和县总审阅查看。"))
    accounts_qs = visible_accounts(request.user).order_by(
        "county__name", "township__county__name", "township__code", "role", "username"
    )
    q = request.GET.get("q", "").strip()
    if q:
        accounts_qs = accounts_qs.filter(
            Q(username__icontains=q) | Q(full_name__contains=q) | Q(township__name__contains=q)
        )
    rows = list(accounts_qs)
    return render(
        request,
        "portal/accounts_list.html",
        {
            "accounts": rows,
            "locked": _locked_usernames([a.username for a in rows]),
            "may_manage": may_manage_accounts(request.user),
            "q": q,
        },
    )


@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = AccountForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        account, password = accounts.create_account(
            user=request.user, account=form.save(commit=False), request=request
        )
        return render(
            request,
            "portal/account_password.html",
            {"account": account, "password": password, "created": True},
        )
    return render(request, "portal/account_form.html", {"form": form, "title": _("新建账号")})


@require_http_methods(["GET", "POST"])
def account_update(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    account = get_object_or_404(visible_accounts(request.user), pk=pk)
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        accounts.update_account(user=request.user, account=form.save(commit=False), request=request)
        messages.success(request, _("已保存账号“{name}”。").format(name=account.username))
        return redirect("accounts:list")
    return render(
        request,
        "portal/account_form.html",
        {
            "form": form,
            "title": _("修改账号“{name}”").format(name=account.username),
            "account": account,
        },
    )


@require_POST
def account_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    """A one-time password, shown on this page once and never again."""
    _require_manager(request)
    account = get_object_or_404(visible_accounts(request.user), pk=pk)
    password = accounts.reset_password(user=request.user, account=account, request=request)
    return render(
        request, "portal/account_password.html", {"account": account, "password": password}
    )


@require_POST
def account_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    account = get_object_or_404(visible_accounts(request.user), pk=pk)
    removed = accounts.unlock(user=request.user, account=account, request=request)
    if removed:
        messages.success(request, _("已解除“{name}”的登录锁定。").format(name=account.username))
    else:
        messages.info(
            request, _("“{name}”没有登录失败记录，无需解除。").format(name=account.username)
        )
    return redirect("accounts:list")


@require_http_methods(["GET", "POST"])
def units(request: HttpRequest) -> HttpResponse:
    """Counties and their townships; a new county or township is added here."""
    _require_manager(request)
    what = request.POST.get("what")
    county_form = CountyForm(request.POST if what == "county" else None, prefix="county")
    township_form = TownshipForm(request.POST if what == "township" else None, prefix="township")
    if what == "county" and county_form.is_valid():
        county = accounts.save_county(
            user=request.user, county=county_form.save(commit=False), request=request
        )
        messages.success(request, _("已新建县总工会“{name}”。").format(name=county.name))
        return redirect("accounts:units")
    if what == "township" and township_form.is_valid():
        township = accounts.save_township(
            user=request.user, township=township_form.save(commit=False), request=request
        )
        messages.success(
            request, _("已新建乡镇工会“{name}”，可为它新建账号。").format(name=township.name)
        )
        return redirect("accounts:units")
    counties = County.objects.prefetch_related("townships").order_by("name")
    return render(
        request,
        "portal/units.html",
        {"counties": counties, "county_form": county_form, "township_form": township_form},
    )


def _unit_form_page(request: HttpRequest, form: forms.ModelForm, save, title: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        save(form.save(commit=False))
        messages.success(request, _("已保存。"))
        return redirect("accounts:units")
    return render(request, "portal/account_form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
def county_update(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    county = get_object_or_404(County, pk=pk)
    form = CountyForm(request.POST or None, instance=county)
    return _unit_form_page(
        request,
        form,
        lambda c: accounts.save_county(user=request.user, county=c, request=request),
        _("修改县总工会“{name}”").format(name=county.name),
    )


@require_http_methods(["GET", "POST"])
def township_update(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    township = get_object_or_404(Township, pk=pk)
    form = TownshipForm(request.POST or None, instance=township)
    return _unit_form_page(
        request,
        form,
        lambda t: accounts.save_township(user=request.user, township=t, request=request),
        _("修改乡镇工会“{name}”").format(name=township.name),
    )
