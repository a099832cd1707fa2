"""The fixed cast every test uses (STYLE.md): staff and chair of township A, staff of township B,
a county reviewer, an administrator, and a reviewer of another county; and `data`, the hand-made
records of townships A and B whose figures the reports tests work out by hand.

Builders shared by tests of several apps are in unionportal/tests/factories.py."""

import pytest

from unionportal.models import County, Role, Township, User
from unionportal.tests import scope_guard
from unionportal.tests.factories import handmade_records

PASSWORD = "Gonghui#2026test"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers are slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_kept_dashboard_figures():
    # Each test starts with nothing kept in reports.figure_cache, so the queries a page runs
    # do not depend on which tests ran before in the same process.
    from unionportal import kept

    kept.clear()


@pytest.fixture
def nothing_prepared():
    """No query kept by shape (unionportal.prepared) before or after the test, for tests that
    count what is built."""
    from unionportal import prepared

    prepared._BUILT.clear()
    prepared.UNSHAPED.clear()
    yield
    prepared._BUILT.clear()
    prepared.UNSHAPED.clear()


@pytest.fixture(autouse=True)
def _records_only_through_the_access_door(settings):
    # A view that queries township records without unionportal/access.py fails the test
    # (unionportal/tests/scope_guard.py says what counts and what is not watched).
    scope_guard.install()
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "unionportal.tests.scope_guard.ScopeGuardMiddleware",
    ]


@pytest.fixture
def county(db) -> County:
    return County.objects.create(name="慈溪县")


@pytest.fixture
def township_a(county) -> Township:
    return Township.objects.create(code="cidong", name="慈东镇", county=county)


@pytest.fixture
def township_b(county) -> Township:
    return Township.objects.create(code="xishan", name="西山乡", county=county)


@pytest.fixture
def other_county_township(db) -> Township:
    other = County.objects.create(name="余姚县")
    return Township.objects.create(code="lanting", name="兰亭镇", county=other)


def _user(username: str, **fields) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, **fields)


@pytest.fixture
def staff_a(township_a) -> User:
    return _user("staff_a", full_name="张录入", role=Role.STAFF, township=township_a)


@pytest.fixture
def chair_a(township_a) -> User:
    return _user("chair_a", full_name="李主席", role=Role.CHAIR, township=township_a)


@pytest.fixture
def staff_b(township_b) -> User:
    return _user("staff_b", full_name="王录入", role=Role.STAFF, township=township_b)


@pytest.fixture
def reviewer(county) -> User:
    return _user("reviewer", full_name="赵审阅", role=Role.REVIEWER, county=county)


@pytest.fixture
def other_reviewer(other_county_township) -> User:
    return _user(
        "other_reviewer",
        full_name="钱审阅",
        role=Role.REVIEWER,
        county=other_county_township.county,
    )


@pytest.fixture
def administrator(db) -> User:
    return _user("admin", full_name="孙管理", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def data(township_a, township_b) -> tuple[Township, Township]:
    return handmade_records(township_a, township_b)
