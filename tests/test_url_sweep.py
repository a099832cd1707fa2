"""Every URL that takes a record id, found in the URL configuration: staff of township B asking
for township A's record get 404, by GET and by POST, and nothing changes.

A new id-taking URL in the record or report namespaces makes test_every_id_url_has_a_factory
fail until BUILDERS (unionportal/tests/factories.py) says how to make its record, so no page
escapes the sweep.
"""

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from disputes.models import CaseAttachment
from events.models import EventAttachment
from portal.models import Submission, SubmissionStep
from reports.models import AnnualTarget, FinalSummary, SummaryNarrative, TargetIndicator
from unionportal.models import Role, TownshipRecord, User
from unionportal.tests import factories as f
from unionportal.tests.factories import BUILDERS, POST_DATA

NAMESPACES = {
    "members",
    "welfare",
    "disputes",
    "events",
    "honours",
    "reports",
    "submissions",
    "workbook",
}


def _walk(patterns, namespace: str | None = None) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif namespace in NAMESPACES and pattern.name:
            yield f"{namespace}:{pattern.name}", pattern


def id_urls() -> list[str]:
    """Names of the URLs, in the record and report namespaces, with an int `pk`."""
    return sorted(
        name
        for name, pattern in _walk(get_resolver().url_patterns)
        if isinstance(pattern.pattern.converters.get("pk"), IntConverter)
    )


def test_every_id_url_has_a_factory():
    missing = [name for name in id_urls() if name not in BUILDERS]

    assert not missing, f"add a builder to factories.BUILDERS for: {missing}"


def test_the_sweep_covers_the_record_pages():
    names = id_urls()

    assert "members:member_detail" in names
    assert "members:member_transfer" in names
    assert len(names) >= 16


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every record table, to prove nothing changed."""
    state = {}
    for model in apps.get_models():
        if issubclass(model, TownshipRecord) or model in (
            CaseAttachment,
            EventAttachment,
            FinalSummary,
            Submission,
            SubmissionStep,
        ):
            state[model._meta.label] = sorted(
                tuple(str(v) for v in row) for row in model.objects.values_list()
            )
    return state


@pytest.fixture
def chair_b(township_b) -> User:
    return User.objects.create_user("chair_b", role=Role.CHAIR, township=township_b)


# Staff and chair of another township, and a reviewer of another county.
INTRUDERS = ["staff_b", "chair_b", "other_reviewer"]


@pytest.mark.parametrize("intruder", INTRUDERS)
@pytest.mark.parametrize("name", id_urls())
def test_other_townships_get_404_for_township_a_records(
    client, request, name, intruder, staff_a, township_a
):
    kwargs = BUILDERS[name](township_a, staff_a)
    url = reverse(name, kwargs=kwargs)
    before = _snapshot()
    client.force_login(request.getfixturevalue(intruder))

    got = client.get(url)
    posted = client.post(url, {**POST_DATA, "union": str(kwargs["pk"])})

    # A page that does not take a method answers 405 before looking anything up, revealing
    # nothing; the method(s) it does take must answer 404.
    assert {got.status_code, posted.status_code} <= {404, 405}, url
    assert 404 in (got.status_code, posted.status_code), url
    assert _snapshot() == before


def test_sweep_builders_make_township_a_records(township_a, staff_a):
    kwargs = BUILDERS["members:dues_detail"](township_a, staff_a)

    from members.models import DuesRecord

    record = DuesRecord.objects.get(pk=kwargs["pk"])
    assert record.township == township_a
    assert record.amount_due == Decimal("1000.00")
    assert record.period_start == datetime.date(2026, 1, 1)


# Pages that take the township in the query string or the form rather than the path.
TOWNSHIP_PARAM_URLS = [
    ("GET", "reports:summary", {"period": "2026"}),
    ("POST", "reports:summary", {"period": "2026", "practices": "被改的做法"}),
    ("POST", "reports:summary_preview", {"period": "2026", "practices": "预览"}),
    ("GET", "reports:summary_download", {"period": "2026", "format": "docx"}),
    ("POST", "reports:summary_finalise", {"period": "2026"}),
    ("GET", "workbook:export", {}),
]


@pytest.mark.parametrize("intruder", INTRUDERS)
@pytest.mark.parametrize(("method", "name", "params"), TOWNSHIP_PARAM_URLS)
def test_naming_township_a_in_the_query_or_form_gives_404(
    client, request, method, name, params, intruder, staff_a, township_a
):
    f.make_member(township_a, name="甲镇会员")
    before = _snapshot()
    client.force_login(request.getfixturevalue(intruder))
    data = {**params, "township": str(township_a.pk)}

    response = (
        client.get(reverse(name), data) if method == "GET" else client.post(reverse(name), data)
    )

    assert response.status_code == 404
    assert "甲镇会员" not in response.content.decode(errors="replace")
    assert _snapshot() == before
    assert not SummaryNarrative.objects.filter(township=township_a).exists()


@pytest.mark.parametrize("kind", ["member", "union", "employer"])
def test_type_ahead_with_township_a_named_finds_nothing(client, kind, staff_a, staff_b, township_a):
    member = f.make_member(township_a, name="甲镇会员")
    f.make_employer(township_a, name="甲镇会员单位")
    member.union.name = "甲镇会员工会"
    member.union.save()
    client.force_login(staff_b)

    response = client.get(
        reverse("record_lookup", args=[kind]), {"q": "甲镇", "township": township_a.pk}
    )

    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_targets_posted_for_another_countys_township_are_ignored(
    client, other_reviewer, township_a, other_county_township
):
    client.force_login(other_reviewer)
    field = f"t_{township_a.pk}_{TargetIndicator.MEMBERSHIP_RATE}"

    response = client.post(reverse("reports:targets"), {field: "99", "year": "2026"})

    assert response.status_code in (200, 302)
    assert not AnnualTarget.objects.filter(township=township_a).exists()
