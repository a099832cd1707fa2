"""The test-only guard (unionportal/tests/scope_guard.py, switched on for every test by the root
conftest.py): a view that reads township records without the access door fails loudly."""

import pytest
from django.http import HttpResponse
from django.urls import include, path

from members.models import Member
from unionportal import access
from unionportal.tests import factories as f
from unionportal.tests.scope_guard import UnscopedRecordQuery


def _names(members) -> HttpResponse:
    return HttpResponse("、".join(m.name for m in members))


def every_member(request):
    return _names(Member.objects.all())


def member_by_id(request, pk):
    return _names([Member.objects.get(pk=pk)])


def members_counted(request):
    return HttpResponse(str(Member.objects.count()))


def members_by_name(request):
    return _names(Member.objects.filter(name=request.GET["name"]))


def visible_members(request):
    return _names(access.visible(request.user, Member).order_by("name"))


def visible_member_and_union(request, pk):
    member = access.get_visible_or_404(request.user, Member, pk)
    return HttpResponse(f"{member.name}@{member.union.name}:{member.union.members.count()}")


def own_township_members(request):
    return _names(access.of_township(request.user.township, Member))


def filtered_by_township(request):
    return _names(Member.objects.filter(township_id=request.user.township_id, name__contains="甲"))


urlpatterns = [
    path("all/", every_member),
    path("one/<int:pk>/", member_by_id),
    path("count/", members_counted),
    path("by-name/", members_by_name),
    path("visible/", visible_members),
    path("visible/<int:pk>/", visible_member_and_union),
    path("own/", own_township_members),
    path("filtered/", filtered_by_township),
    # The portal's own pages too: the 404 page links home.
    path("", include("unionportal.urls")),
]


@pytest.fixture
def members(township_a, township_b):
    return f.make_member(township_a, name="甲会员"), f.make_member(township_b, name="乙会员")


@pytest.mark.urls("tests.test_access_guard")
@pytest.mark.parametrize("url", ["/all/", "/count/", "/by-name/?name=乙会员"])
def test_a_view_reading_members_without_the_door_fails(client, staff_a, members, url):
    client.force_login(staff_a)

    with pytest.raises(UnscopedRecordQuery, match="Member queried without the access door"):
        client.get(url)


@pytest.mark.urls("tests.test_access_guard")
def test_a_view_fetching_a_member_by_id_without_the_door_fails(client, staff_a, members):
    client.force_login(staff_a)

    with pytest.raises(UnscopedRecordQuery):
        client.get(f"/one/{members[1].pk}/")


@pytest.mark.urls("tests.test_access_guard")
def test_views_going_through_the_door_pass(client, staff_a, members):
    client.force_login(staff_a)
    own = members[0]

    assert client.get("/visible/").content.decode() == "甲会员"
    assert client.get(f"/visible/{own.pk}/").content.decode() == f"甲会员@{own.union.name}:1"
    assert client.get(f"/visible/{members[1].pk}/").status_code == 404
    assert client.get("/own/").content.decode() == "甲会员"
    assert client.get("/filtered/").content.decode() == "甲会员"


def test_the_mark_survives_chaining(staff_a, members):
    scoped = access.visible(staff_a, Member).filter(name="甲会员").order_by("-id").values("name")

    assert access.is_scoped(scoped)
    assert not access.is_scoped(Member.objects.filter(name="甲会员"))


def test_outside_a_request_services_and_tests_may_query_freely(members):
    assert Member.objects.count() == 2
