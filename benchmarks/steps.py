"""The simulated users' part shared by the load test (load.py) and the page-CPU benchmark
(bench_page_cpu.py): who the users are, the weighted mix of pages they open, what each step
requests and what it types into a form, and how a page's form is read as a browser submits it.

One definition, so the page-CPU figures stay those of the load test's page mix. How a request
is sent and timed is each script's own (httpx against gunicorn; Django's WSGI handler
in-process).
"""

import datetime
import random
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

# Kinds of page request: key → label (sign-in and summary downloads are the load test's own).
PAGES = {
    "home": "首页",
    "member_list": "会员列表",
    "member_search": "会员搜索",
    "member_detail": "会员详情",
    "employer_list": "单位列表",
    "union_list": "基层工会列表",
    "case_list": "信访案件列表",
    "visit_list": "慰问记录列表",
    "form": "新增/修改表单页",
    "member_add": "新增会员（提交）",
    "visit_add": "新增慰问（提交）",
    "member_edit": "修改会员（提交）",
    "township_dashboard": "乡镇工作看板",
    "county_dashboard": "全县工作看板",
}
# Name prefixes staff type into the member search box (common surnames and given-name starts).
SEARCH_TERMS = ["王", "李", "张", "陈", "周", "徐", "孙", "胡", "朱", "沈", "王建", "陈晓", "李国"]
LIST_URLS = {
    "home": "/",
    "employer_list": "/records/employers/",
    "union_list": "/records/unions/",
    "case_list": "/records/cases/",
    "visit_list": "/records/visits/",
    "county_dashboard": "/reports/dashboard/county/",
}
# The writes: a form opened (timed as "form"), filled in, saved. The field finds the form.
FORM_FIELD = {"member_add": "id_number", "visit_add": "beneficiary_name", "member_edit": "mobile"}


@dataclass
class SimulatedUser:
    """One simulated person: who they are, and the records their clicks land on."""

    index: int
    username: str
    role: str  # "staff" or "reviewer"
    township_id: int | None
    member_ids: list[int]  # members they open
    own_member_ids: list[int]  # members only they edit (so two users never race on one)
    union_ids: list[int]  # open unions of their township, for new members
    township_ids: list[int]  # townships a reviewer looks at
    added: int = 0


def make_users(
    *, staff: int, reviewers: int, seed: int, prefix: str, label: str, password: str
) -> list[SimulatedUser]:
    """Add the users to the database Django is set up on, and pick the records each opens.

    Staff go round the townships (one each, then a second); reviewers see the county. Usernames
    are `{prefix}_staff_01` …, full names `{label}录入01` …; all share one password hash (one
    hash instead of fifty). Deterministic for a seed, so two databases copied from one source
    get the same users opening the same records.
    """
    from django.contrib.auth.hashers import make_password

    from members.models import GrassrootsUnion, Member
    from members.queries import not_ended_by
    from unionportal import clock
    from unionportal.models import Role, Township, User

    townships = list(Township.objects.select_related("county").order_by("pk"))
    county = townships[0].county
    extra = {}
    if any(f.name == "password_changed_at" for f in User._meta.get_fields()):
        extra["password_changed_at"] = clock.now()
    hashed = make_password(password)
    rows = [
        User(
            username=f"{prefix}_staff_{i + 1:02d}",
            role=Role.STAFF,
            township=townships[i % len(townships)],
            full_name=f"{label}录入{i + 1:02d}",
            password=hashed,
            **extra,
        )
        for i in range(staff)
    ] + [
        User(
            username=f"{prefix}_reviewer_{j + 1:02d}",
            role=Role.REVIEWER,
            county=county,
            full_name=f"{label}审阅{j + 1:02d}",
            password=hashed,
            **extra,
        )
        for j in range(reviewers)
    ]
    User.objects.filter(username__startswith=f"{prefix}_").delete()
    User.objects.bulk_create(rows)

    rng = random.Random(seed)
    open_unions = not_ended_by(clock.today(), end="dissolved_on")
    members_of: dict[int, list[int]] = {}
    unions_of: dict[int, list[int]] = {}
    for t in townships:
        members = Member.objects.filter(township=t).order_by("pk")
        members_of[t.pk] = list(members.values_list("pk", flat=True))
        unions = GrassrootsUnion.objects.filter(open_unions, township=t).order_by("pk")
        unions_of[t.pk] = list(unions.values_list("pk", flat=True))
    users = []
    for i in range(staff):
        t = townships[i % len(townships)]
        pks = members_of[t.pk]
        slot, slots = i // len(townships), (staff - 1 - i % len(townships)) // len(townships) + 1
        mine = pks[slot::slots]
        users.append(
            SimulatedUser(
                index=i,
                username=rows[i].username,
                role="staff",
                township_id=t.pk,
                member_ids=rng.sample(pks, min(400, len(pks))),
                own_member_ids=rng.sample(mine, min(200, len(mine))),
                union_ids=unions_of[t.pk],
                township_ids=[t.pk],
            )
        )
    everyone = [pk for pks in members_of.values() for pk in pks]
    for j in range(reviewers):
        users.append(
            SimulatedUser(
                index=staff + j,
                username=rows[staff + j].username,
                role="reviewer",
                township_id=None,
                member_ids=rng.sample(everyone, min(400, len(everyone))),
                own_member_ids=[],
                union_ids=[],
                township_ids=[t.pk for t in townships],
            )
        )
    return users


def mix(user: SimulatedUser, *, summaries: bool) -> list[tuple[float, str]]:
    """The weighted mix of what this user does between think times: (weight, kind). With
    `summaries`, the load test's summary downloads ("summary", "county_summary") too; the order
    is fixed, so a seed draws the same steps."""
    common = [
        (4, "home"),
        (14, "member_list"),
        (12, "member_search"),
        (14, "member_detail"),
        (5, "employer_list"),
        (5, "union_list"),
        (6, "case_list"),
        (4, "visit_list"),
        (5, "township_dashboard"),
    ]
    if summaries:
        common.append((1, "summary"))
    if user.role == "reviewer":
        county = [(8, "county_dashboard")]
        if summaries:
            county.append((0.3, "county_summary"))
        return common + county
    writes = [(4, "visit_add")]
    if user.union_ids:
        writes.append((4, "member_add"))
    if user.own_member_ids:
        writes.append((5, "member_edit"))
    return common + writes


def step(user: SimulatedUser, kind: str, rng: random.Random) -> dict:
    """One page step of the mix: {"action", "url"} and, for a write, what it will type that the
    random draw picks ("union", "mobile"). Draws from `rng` in the same order for every kind."""
    out: dict = {"user": user.index, "action": kind}
    if kind == "member_list":
        params = {}
        if rng.random() < 0.3:
            params["page"] = rng.randint(2, 20)
        if user.role == "reviewer" and rng.random() < 0.5:
            params["township"] = rng.choice(user.township_ids)
        out["url"] = "/records/members/" + (f"?{urlencode(params)}" if params else "")
    elif kind == "member_search":
        out["url"] = "/records/members/?" + urlencode({"q": rng.choice(SEARCH_TERMS)})
    elif kind == "member_detail":
        out["url"] = f"/records/members/{rng.choice(user.member_ids)}/"
    elif kind == "township_dashboard":
        pk = user.township_id or rng.choice(user.township_ids)
        out["url"] = f"/reports/dashboard/township/{pk}/"
    elif kind == "member_add":
        out["url"] = "/records/members/new/"
        out["union"] = rng.choice(user.union_ids)
    elif kind == "visit_add":
        out["url"] = "/records/visits/new/"
    elif kind == "member_edit":
        out["url"] = f"/records/members/{rng.choice(user.own_member_ids)}/edit/"
        out["mobile"] = f"137{rng.randrange(100_000_000):08d}"
    else:
        out["url"] = LIST_URLS[kind]
    return out


def fill(
    user: SimulatedUser, planned: dict, data: dict, options: dict, *, today: str, label: str
) -> None:
    """Type a write step's changes into the form's fields `data` (in place); `options` are each
    select's values, `today` the server's date, `label` marks the names the run adds."""
    kind = planned["action"]
    if kind == "member_add":
        user.added += 1
        n = user.index * 100_000 + user.added
        data.update(
            name=f"{label}{user.index:02d}号{user.added}",
            id_number=make_id_number(n),
            union=str(planned["union"]),
            joined_on=today,
            mobile=f"139{n % 100_000_000:08d}",
        )
    elif kind == "visit_add":
        data.update(
            visited_on=today,
            beneficiary_type=next(v for v in options["beneficiary_type"] if v),
            beneficiary_name=f"{label}慰问{user.index:02d}",
            cash="500",
            goods_value="0",
        )
    else:
        data["mobile"] = planned["mobile"]


def sign_in_form(html: str, username: str, password: str) -> tuple[str, dict] | None:
    """(where to post, the fields) of the login page's form filled in; None without one."""
    form = form_with(html, "username")
    if form is None:
        return None
    target = urljoin("/accounts/login/", form["action"]) if form["action"] else "/accounts/login/"
    return target, {**form["fields"], "username": username, "password": password}


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def make_id_number(n: int) -> str:
    """The n-th resident ID of this run (GB 11643-1999, valid check digit), never the same twice.

    Region 110101 (Beijing, Dongcheng) is one the demo never uses, so no generated ID is a
    demo member's; n picks the birth date (from 1960) and the three order digits.
    """
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 1000)
    first17 = f"110101{birth:%Y%m%d}{n % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + _ID_CHECK[total % 11]


class FormParser(HTMLParser):
    """The forms of a page as a browser would submit them: enabled inputs, checked boxes, the
    selected option (else the first), textareas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._options: list[str] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": {},
                "options": {},
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form["fields"]
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields[name] = a.get("value") or "on"
            elif kind not in ("submit", "button", "image", "file", "reset"):
                fields[name] = a.get("value") or ""
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._options = name, []
            self._form["options"][name] = self._options
            fields[name] = None
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            self._options.append(value)
            if "selected" in a:
                fields[self._select] = value
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea = name
            fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            fields = self._form["fields"]
            if fields[self._select] is None:
                fields[self._select] = self._options[0] if self._options else ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_with(html: str, field_name: str) -> dict | None:
    """The POST form of the page that has a field called `field_name`."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] == "post" and field_name in form["fields"]:
            return form
    return None


def form_errors(html: str) -> str:
    """The error messages a re-shown form carries, for the error report."""
    found = re.findall(
        r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)</(?:div|ul)>',
        html,
        re.S,
    )
    text = " ".join(" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in found)
    return text[:300] or "（页面上没有错误信息）"
