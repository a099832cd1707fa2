# ruff: noqa: E501 (the blocks below are the templates' lines as they were)
"""The member, employer, union, case and visit lists build their rows in Python (ListSpec.row_cells:
members/list_rows.py, disputes/list_rows.py, welfare/list_rows.py) instead of a table_row block:
the rows must read exactly as the block rendered them. Each kind's block as it was is kept here
and rendered over the same records (model instances, as the template had them); the page's table
body must be the same HTML, byte for byte, in every language, for a township's staff and for a
county reviewer (with the 乡镇 column), with the cells that differ from row to row present: a
member who left, one without an employer, a dissolved union, an overdue and a closed case with an
amount, a visit to a member and one without a fund source, and text that must be escaped."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse

from disputes.models import Case
from disputes.queries import OVERDUE_DAYS, with_overdue_flag
from events.models import Event
from honours.models import Honour, HonourLevel, RecipientType
from members.models import (
    CollectiveContract,
    ContractKind,
    DuesRecord,
    Employer,
    GrassrootsUnion,
    Member,
    MilestoneKind,
    MilestoneLevel,
    UnionMilestone,
)
from members.queries import union_rows
from unionportal import clock
from unionportal.tests.factories import (
    make_contract,
    make_dues,
    make_event,
    make_honour,
    make_milestone,
    make_mutual_aid,
)
from welfare.models import MutualAidEnrolment, WelfareVisit

pytestmark = pytest.mark.django_db

# The table_row blocks of templates/<kind>_list.html before the rows were built in Python.
BLOCKS = {
    "members:member_list": """
  <td><a href="{% record_url 'members:member_detail' row.pk %}">{{ row.name }}</a></td>
  {% if listing.townships %}<td>{{ row.township.name }}</td>{% endif %}
  <td class="font-monospace small">{{ row.masked_id_number }}</td>
  <td>{{ row.get_gender_display }}</td>
  <td>{{ row.union.name }}</td>
  <td>{{ row.employer.name|default:"—" }}</td>
  <td class="text-nowrap">{{ row.joined_on|date:"Y-m-d" }}</td>
  <td>{{ row.is_migrant|yesno:_("是,否") }}</td>
  <td>{% if row.left_on %}<span class="badge text-bg-secondary">{% blocktranslate trimmed with left_on=row.left_on|date:"Y-m-d" %}{{ left_on }}离会{% endblocktranslate %}</span>{% else %}{% translate "在册" %}{% endif %}</td>
""",
    "members:employer_list": """
  <td><a href="{% record_url 'members:employer_detail' row.pk %}">{{ row.name }}</a></td>
  {% if listing.townships %}<td>{{ row.township.name }}</td>{% endif %}
  <td class="font-monospace small">{{ row.credit_code|default:"—" }}</td>
  <td>{{ row.get_economic_type_display|default:"—" }}</td>
  <td class="text-end numeral">{{ row.employees|intcomma:False }}</td>
  <td class="text-end numeral">{{ row.migrant_employees|intcomma:False }}</td>
  <td>{{ row.should_unionise|yesno:_("是,否") }}</td>
  <td>{% if row.union %}<a href="{% record_url 'members:union_detail' row.union_id %}">{{ row.union.name }}</a>{% else %}<span class="text-body-secondary">{% translate "未建会" %}</span>{% endif %}</td>
""",
    "members:union_list": """
  <td><a href="{% record_url 'members:union_detail' row.pk %}">{{ row.name }}</a></td>
  {% if listing.townships %}<td>{{ row.township.name }}</td>{% endif %}
  <td>{{ row.get_kind_display }}</td>
  <td class="text-nowrap">{{ row.founded_on|date:"Y-m-d" }}</td>
  <td>{{ row.chair_name|default:"—" }}</td>
  <td>{{ row.get_star_display }}</td>
  <td class="text-end numeral"><a href="{% url 'members:member_list' %}?union={{ row.pk }}&amp;active=1">{{ row.member_count|intcomma:False }}</a></td>
  <td>{% if row.dissolved_on %}<span class="badge text-bg-secondary">{% blocktranslate trimmed with dissolved_on=row.dissolved_on|date:"Y-m-d" %}{{ dissolved_on }}撤销{% endblocktranslate %}</span>{% else %}{% translate "存续" %}{% endif %}</td>
""",
    "disputes:case_list": """
  <td class="text-nowrap"><a href="{% record_url 'disputes:case_detail' row.pk %}">{{ row.number }}</a></td>
  <td class="text-nowrap">{{ row.received_on|date:"Y-m-d" }}</td>
  {% if listing.townships %}<td class="text-nowrap">{{ row.township.name }}</td>{% endif %}
  <td>{{ row.petitioner }}</td>
  <td>{{ row.get_category_display }}</td>
  <td>{{ row.employer.name|default:"—" }}</td>
  <td class="text-nowrap">
    {% include "disputes/_status_badge.html" with case=row %}
  </td>
  <td class="text-nowrap">{{ row.closed_on|date:"Y-m-d"|default:"—" }}</td>
  <td class="text-end numeral">{% if row.amount_recovered is not None %}{{ row.amount_recovered|money }}{% else %}—{% endif %}</td>
""",
    "welfare:visit_list": """
  <td class="text-nowrap">{{ row.visited_on|date:"Y-m-d" }}</td>
  {% if listing.townships %}<td class="text-nowrap">{{ row.township.name }}</td>{% endif %}
  <td><a href="{% record_url 'welfare:visit_detail' row.pk %}">{{ row.beneficiary_name }}</a>{% if row.member_id %} <span class="badge text-bg-light border" title="{% translate "已关联会员" %}">{% translate "会员" %}</span>{% endif %}</td>
  <td>{{ row.get_beneficiary_type_display }}</td>
  <td class="text-end numeral">{{ row.cash|money }}</td>
  <td class="text-end numeral">{{ row.goods_value|money }}</td>
  <td>{{ row.campaign }}</td>
  <td>{{ row.get_fund_source_display|default:"—" }}</td>
""",
    "members:contract_list": """
  <td><a href="{% record_url 'members:contract_detail' row.pk %}">{{ row.party_name }}</a></td>
  {% if listing.townships %}<td>{{ row.township.name }}</td>{% endif %}
  <td>{{ row.get_kind_display }}</td>
  <td class="text-nowrap">{{ row.signed_on|date:"Y-m-d" }}</td>
  <td class="text-nowrap">{{ row.expires_on|date:"Y-m-d" }}</td>
  <td class="text-end numeral">{{ row.workers_covered|intcomma:False }}</td>
  <td>{{ row.is_renewal|yesno:_("是,否") }}</td>
""",
    "members:dues_list": """
  <td><a href="{% record_url 'members:dues_detail' row.pk %}">{{ row.employer.name }}</a></td>
  {% if listing.townships %}<td>{{ row.township.name }}</td>{% endif %}
  <td>{{ row.period }}</td>
  <td class="text-end numeral">{{ row.amount_due|money }}</td>
  <td class="text-end numeral">{{ row.amount_paid|money }}</td>
  <td class="text-nowrap">{{ row.paid_on|date:"Y-m-d"|default:"—" }}</td>
""",
    "members:milestone_list": """
  <td class="text-nowrap"><a href="{% record_url 'members:milestone_detail' row.pk %}">{{ row.happened_on|date:"Y-m-d" }}</a></td>
  {% if listing.townships %}<td class="text-nowrap">{{ row.township.name }}</td>{% endif %}
  <td><a href="{% url 'members:union_detail' row.union_id %}">{{ row.union.name }}</a></td>
  <td>{{ row.get_kind_display }}</td>
  <td>{{ row.get_level_display|default:"—" }}</td>
  <td>{{ row.chair_name|default:"—" }}{% if row.chair_is_migrant %}{% translate "（外来职工）" %}{% endif %}</td>
  <td class="text-end numeral">{{ row.delegates|default_if_none:"—" }}</td>
  <td>{{ row.note|default:"—" }}</td>
""",
    "honours:honour_list": """
  <td class="text-nowrap">{{ row.granted_on|date:"Y-m-d" }}</td>
  {% if listing.townships %}<td class="text-nowrap">{{ row.township.name }}</td>{% endif %}
  <td><a href="{% record_url 'honours:honour_detail' row.pk %}">{{ row.recipient }}</a>{% if row.member_id %} <span class="badge text-bg-light border" title="{% translate "已关联会员" %}">{% translate "会员" %}</span>{% endif %}</td>
  <td>{{ row.get_recipient_type_display }}</td>
  <td>{{ row.title }}</td>
  <td>{{ row.get_level_display }}</td>
  <td>{{ row.granted_by|default:"—" }}</td>
""",
    "events:event_list": """
  <td class="text-nowrap">{{ row.starts_on|date:"Y-m-d" }}{% if row.ends_on and row.ends_on != row.starts_on %} {% blocktranslate trimmed with ends_on=row.ends_on|date:"m-d" %}至 {{ ends_on }}{% endblocktranslate %}{% endif %}</td>
  {% if listing.townships %}<td class="text-nowrap">{{ row.township.name }}</td>{% endif %}
  <td><a href="{% record_url 'events:event_detail' row.pk %}">{{ row.title }}</a></td>
  <td>{{ row.get_category_display }}</td>
  <td>{{ row.organiser|default:"—" }}</td>
  <td class="text-end numeral">{{ row.participants|default_if_none:"—" }}</td>
  <td class="small">{{ row.participating_units|truncatechars:40|default:"—" }}</td>
""",
    "welfare:mutualaid_list": """
  <td><a href="{% record_url 'welfare:mutualaid_detail' row.pk %}">{{ row.year }}</a></td>
  {% if listing.townships %}<td class="text-nowrap">{{ row.township.name }}</td>{% endif %}
  <td>{{ row.union.name }}</td>
  <td class="text-end numeral">{{ row.workers }}</td>
  <td class="text-end numeral">{{ row.enrolled }}</td>
  <td class="text-end numeral">{% if row.rate is not None %}{{ row.rate }}%{% else %}—{% endif %}</td>
  <td class="text-end numeral">{{ row.payouts }}</td>
  <td class="text-end numeral">{{ row.paid_out|money }}</td>
""",
}

# How the list views fetched the rows the block read.
RECORDS = {
    "members:member_list": lambda: Member.objects.select_related("union", "employer", "township"),
    "members:employer_list": lambda: Employer.objects.select_related("union", "township"),
    "members:union_list": lambda: union_rows(GrassrootsUnion.objects.all()),
    "disputes:case_list": lambda: with_overdue_flag(
        Case.objects.select_related("township", "employer")
    ),
    "welfare:visit_list": lambda: WelfareVisit.objects.select_related("township", "member"),
    "members:contract_list": lambda: CollectiveContract.objects.select_related("township"),
    "members:dues_list": lambda: DuesRecord.objects.select_related("employer", "township"),
    "members:milestone_list": lambda: UnionMilestone.objects.select_related("union", "township"),
    "honours:honour_list": lambda: Honour.objects.select_related("township", "member"),
    "events:event_list": lambda: Event.objects.select_related("township"),
    "welfare:mutualaid_list": lambda: MutualAidEnrolment.objects.select_related(
        "union", "township"
    ),
}


def _edge_cases(township) -> None:
    """Records whose cells take the branches the rows have."""
    members = Member.objects.filter(township=township).order_by("pk")
    assert members.count() >= 3
    Member.objects.filter(pk=members[0].pk).update(
        name="<李&四>", left_on=datetime.date(2026, 3, 2), is_migrant=True
    )
    Member.objects.filter(pk=members[1].pk).update(employer=None)
    unions = GrassrootsUnion.objects.filter(township=township).order_by("pk")
    GrassrootsUnion.objects.filter(pk=unions[0].pk).update(
        dissolved_on=datetime.date(2026, 4, 1), chair_name="", name='"星"工会'
    )
    Employer.objects.filter(township=township, union__isnull=False).update(credit_code="")
    employer = Employer.objects.filter(township=township).order_by("pk").last()
    Employer.objects.filter(pk=employer.pk).update(union=None, employees=12345)
    cases = Case.objects.filter(township=township).order_by("pk")
    assert cases.count() >= 2
    long_ago = clock.today() - datetime.timedelta(days=OVERDUE_DAYS + 5)
    Case.objects.filter(pk=cases[0].pk).update(
        status="open", received_on=long_ago, closed_on=None, petitioner="O'Brien"
    )
    Case.objects.filter(pk=cases[1].pk).update(
        status="resolved",
        closed_on=clock.today(),
        amount_recovered=Decimal("12345.6"),
        employer=None,
    )
    visits = WelfareVisit.objects.filter(township=township).order_by("pk")
    assert visits.count() >= 2
    WelfareVisit.objects.filter(pk=visits[0].pk).update(
        member=members[2], fund_source="", campaign="春节<送温暖>"
    )


def _more_edge_cases(township) -> None:
    """Contracts, dues, union milestones and honours whose cells take each branch."""
    make_contract(township, party_name="<甲&乙>", is_renewal=True, workers_covered=12345)
    make_contract(township, kind=ContractKind.WAGE, workers_covered=0)
    make_dues(township, amount_paid=Decimal("1234567.5"), paid_on=datetime.date(2026, 2, 3))
    make_dues(township, period="2026H1", amount_due=Decimal("0"), paid_on=None)
    make_milestone(
        township, kind=MilestoneKind.ELECTION, chair_name="王'主席", chair_is_migrant=True
    )
    make_milestone(township, kind=MilestoneKind.STAR, level=MilestoneLevel.TWO, note="<说明>")
    make_milestone(township, kind=MilestoneKind.CONGRESS_HELD, delegates=1234)
    make_milestone(township, kind=MilestoneKind.CONGRESS_HELD, delegates=None)
    make_honour(township, recipient="<张&三>", granted_by="县总工会")
    make_honour(
        township,
        recipient="某集体",
        recipient_type=RecipientType.COLLECTIVE,
        level=HonourLevel.NATIONAL,
        granted_by="",
        member=Member.objects.filter(township=township).first(),
    )


def _event_and_mutual_aid_edge_cases(township) -> None:
    """Events and mutual aid enrolments whose cells take each branch."""
    make_event(
        township,
        title="<培训&交流>",
        starts_on=datetime.date(2026, 3, 30),
        ends_on=datetime.date(2026, 4, 2),
        organiser="县总'工会",
        participants=1234,
        participating_units="甲公司、乙公司、丙公司、丁公司、戊公司、己公司、庚公司、辛公司、壬公司、癸公司<>",
    )
    make_event(
        township,
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 5, 1),
        organiser="",
        participants=None,
        participating_units="",
    )
    make_mutual_aid(
        township, year=2031, workers=3, enrolled=2, payouts=12345, paid_out=Decimal("1234.5")
    )
    make_mutual_aid(township, year=2032, workers=0, enrolled=0)


def _tbody(html: str) -> str:
    found = re.search(r"<tbody>\n(.*?)\n      </tbody>", html, re.S)
    assert found, "no table body"
    return found.group(1).strip()


def _reference(name: str, pks: list[int], townships: bool) -> str:
    template = engines["django"].from_string(
        "{% load i18n humanize money records %}{% for row in rows %}<tr>"
        + BLOCKS[name]
        + "</tr>{% endfor %}"
    )
    found = RECORDS[name]().in_bulk(pks)
    rows = [found[pk] for pk in pks]
    context = {"rows": rows, "listing": {"townships": townships}, "overdue_days": OVERDUE_DAYS}
    return template.render(context).strip()


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("name", BLOCKS)
def test_rows_read_as_the_template_rendered_them(
    client, data, staff_a, reviewer, township_a, name, language
):
    _edge_cases(township_a)
    _more_edge_cases(township_a)
    _event_and_mutual_aid_edge_cases(township_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for user, townships in ((staff_a, False), (reviewer, True)):
        client.force_login(user)
        response = client.get(reverse(name))
        assert response.status_code == 200
        listing = response.context["listing"]
        pks = [row.pk for row in listing.rows]
        assert len(pks) >= 2
        # The template's blocks with the HTML the {% for %} put between rows (\n before each
        # <td>, as in the kind's file): the same bytes.
        built = _tbody(response.content.decode())
        expected = _reference(name, pks, townships)
        assert built == expected
        # And the rows show what differs between them (a comparison of two empty tables would
        # pass too).
        for text in {
            "members:member_list": ["&lt;李&amp;四&gt;", "—", "****"],
            "members:employer_list": ["—", "/records/unions/", "text-body-secondary"],
            "members:union_list": ["&quot;星&quot;工会", "2026-04-01"],
            "disputes:case_list": ["O&#x27;Brien", "text-bg-danger", "12,345.60"],
            "welfare:visit_list": ["春节&lt;送温暖&gt;", "badge text-bg-light border"],
            "members:contract_list": ["&lt;甲&amp;乙&gt;", "12,345", 'numeral">0<'],
            "members:dues_list": ["1,234,567.50", "2026-02-03", "—", "2026H1"],
            "members:milestone_list": [
                "王&#x27;主席",
                "&lt;说明&gt;",
                "—",
                ">1234<",
                "/records/unions/",
            ],
            "honours:honour_list": ["&lt;张&amp;三&gt;", "县总工会", "—", "badge text-bg-light"],
            "events:event_list": [
                "&lt;培训&amp;交流&gt;",
                "04-02",
                "壬公司、癸",
                "县总&#x27;工会",
                "—",
                ">1234<",
            ],
            "welfare:mutualaid_list": ["66.7%", "1,234.50", ">12345<", ">—<"],
        }[name]:
            assert text in built, text


def test_union_member_counts_follow_a_member_leaving(client, data, staff_a, township_a):
    """The union list's 在册会员 (counted for the page's unions apart from the rows): seen
    again after a member leaves, the count is one less."""
    client.force_login(staff_a)
    union = GrassrootsUnion.objects.filter(township=township_a, members__isnull=False).first()
    in_place = (
        Member.objects.filter(union=union, left_on__isnull=True)
        | Member.objects.filter(union=union, left_on__gt=clock.today())
    ).distinct()
    count = in_place.count()
    assert count >= 1
    link = f'?union={union.pk}&amp;active=1">{count}</a>'

    assert link in client.get(reverse("members:union_list")).content.decode()
    assert link in client.get(reverse("members:union_list")).content.decode()  # kept
    Member.objects.filter(pk=in_place.first().pk).update(left_on=clock.today())

    after = client.get(reverse("members:union_list")).content.decode()
    assert f'?union={union.pk}&amp;active=1">{count - 1}</a>' in after
