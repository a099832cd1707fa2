from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from members import typeahead
from unionportal import records, twofactor, views

# A failed request's page; a full disk is said as such (unionportal/errors.py).
handler500 = "unionportal.errors.server_error"

admin.site.site_header = _("乡镇工会工作平台 · 管理")
admin.site.site_title = _("乡镇工会工作平台")
admin.site.index_title = _("用户、乡镇与记录管理")

urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/login/", login_not_required(twofactor.PortalLoginView.as_view()), name="login"),
    path("accounts/login/code/", twofactor.login_code, name="login_code"),
    path("accounts/two-factor/", twofactor.two_factor, name="two_factor"),
    path("accounts/logout/", views.logout, name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Open to signed-out visitors: the login page offers the language switch too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Before the admin's own URLs: the admin signs in through the portal's login page.
    path("admin/login/", twofactor.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("records/lookup/<slug:kind>/", typeahead.record_lookup, name="record_lookup"),
    path("records/search/", records.record_search, name="record_search"),
    path("records/", include("members.urls")),
    path("records/", include("welfare.urls")),
    path("records/", include("disputes.urls")),
    path("records/", include("events.urls")),
    path("records/", include("honours.urls")),
    path("workbook/", include("workbook.urls")),
]
