from django.urls import path

from portal import account_views

app_name = "accounts"
urlpatterns = [
    path("", account_views.account_list, name="list"),
    path("new/", account_views.account_create, name="create"),
    path("<int:pk>/", account_views.account_update, name="update"),
    path("<int:pk>/password/", account_views.account_reset_password, name="reset_password"),
    path("<int:pk>/unlock/", account_views.account_unlock, name="unlock"),
    path("units/", account_views.units, name="units"),
    path("units/county/<int:pk>/", account_views.county_update, name="county_update"),
    path("units/township/<int:pk>/", account_views.township_update, name="township_update"),
]
