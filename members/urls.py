from django.urls import path

from members import milestone_views, transfer_views, views

app_name = "members"

# Every kind has the same five pages: <kind>_list, _create, _detail, _update, _delete.
urlpatterns = [
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", views.employer_update, name="employer_update"),
    path("employers/<int:pk>/delete/", views.employer_delete, name="employer_delete"),
    path("unions/", views.union_list, name="union_list"),
    path("unions/new/", views.union_create, name="union_create"),
    path("unions/<int:pk>/", views.union_detail, name="union_detail"),
    path("unions/<int:pk>/edit/", views.union_update, name="union_update"),
    path("unions/<int:pk>/delete/", views.union_delete, name="union_delete"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_update, name="member_update"),
    path("members/<int:pk>/delete/", views.member_delete, name="member_delete"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member_reveal"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path(
        "members/<int:pk>/transfer-out/",
        transfer_views.member_transfer_out,
        name="member_transfer_out",
    ),
    # Transfers to another township of the county: seen by both townships (and the county).
    path("transfers/", transfer_views.transfer_list, name="transfer_list"),
    path("transfers/<int:pk>/", transfer_views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/accept/", transfer_views.transfer_accept, name="transfer_accept"),
    path("transfers/<int:pk>/return/", transfer_views.transfer_return, name="transfer_return"),
    path("transfers/<int:pk>/cancel/", transfer_views.transfer_cancel, name="transfer_cancel"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_update, name="contract_update"),
    path("contracts/<int:pk>/delete/", views.contract_delete, name="contract_delete"),
    path("dues/", views.dues_list, name="dues_list"),
    path("dues/new/", views.dues_create, name="dues_create"),
    path("dues/<int:pk>/", views.dues_detail, name="dues_detail"),
    path("dues/<int:pk>/edit/", views.dues_update, name="dues_update"),
    path("dues/<int:pk>/delete/", views.dues_delete, name="dues_delete"),
    path("milestones/", milestone_views.milestone_list, name="milestone_list"),
    path("milestones/new/", milestone_views.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/", milestone_views.milestone_detail, name="milestone_detail"),
    path("milestones/<int:pk>/edit/", milestone_views.milestone_update, name="milestone_update"),
    path("milestones/<int:pk>/delete/", milestone_views.milestone_delete, name="milestone_delete"),
    path("remittances/", milestone_views.remittance_list, name="remittance_list"),
    path("remittances/new/", milestone_views.remittance_create, name="remittance_create"),
    path("remittances/<int:pk>/", milestone_views.remittance_detail, name="remittance_detail"),
    path("remittances/<int:pk>/edit/", milestone_views.remittance_update, name="remittance_update"),
    path(
        "remittances/<int:pk>/delete/",
        milestone_views.remittance_delete,
        name="remittance_delete",
    ),
]
