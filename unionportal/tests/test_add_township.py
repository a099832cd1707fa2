"""`manage.py add_township CODE NAME [--county NAME]` (spec/cli.md)."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from unionportal.models import County, Township


def run(*args: str) -> str:
    out = StringIO()
    call_command("add_township", *args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("add_township", *args, stdout=StringIO())
    assert caught.value.returncode == 1
    return caught.value


def snapshot() -> list[tuple]:
    return list(
        Township.objects.order_by("code").values_list("code", "name", "county__name")
    ) + list(County.objects.order_by("name").values_list("name"))


def test_creates_township_in_the_only_county(county):
    out = run("zhouxiang", "周巷镇")

    township = Township.objects.get(code="zhouxiang")
    assert (township.name, township.county) == ("周巷镇", county)
    assert "已新建乡镇工会“周巷镇”" in out
    assert "慈溪县总工会" in out


def test_creates_county_federation_when_new(db):
    out = run("lanting", "兰亭镇", "--county", "余姚县")

    township = Township.objects.get(code="lanting")
    assert township.county.name == "余姚县"
    assert County.objects.count() == 1
    assert "同时新建余姚县总工会" in out


def test_existing_county_named_is_used_not_duplicated(county, other_county_township):
    run("guanhaiwei", "观海卫镇", "--county", "慈溪县")

    assert Township.objects.get(code="guanhaiwei").county == county
    assert County.objects.count() == 2


def test_renames_existing_code(township_a):
    out = run("cidong", "慈东街道")

    township_a.refresh_from_db()
    assert township_a.name == "慈东街道"
    assert Township.objects.count() == 1
    assert "由“慈东镇”更名为“慈东街道”" in out


def test_rename_with_same_name_changes_nothing(township_a):
    out = run("cidong", "慈东镇", "--county", "慈溪县")

    assert "无需修改" in out
    assert snapshot() == [("cidong", "慈东镇", "慈溪县"), ("慈溪县",)]


def test_rename_keeps_township_in_its_county_even_with_several_counties(
    township_a, other_county_township
):
    run("cidong", "慈东街道")

    township_a.refresh_from_db()
    assert (township_a.name, township_a.county.name) == ("慈东街道", "慈溪县")


def test_existing_township_cannot_be_moved_to_another_county(township_a, other_county_township):
    before = snapshot()

    error = refused("cidong", "慈东镇", "--county", "余姚县")

    assert "已属于慈溪县" in str(error)
    assert snapshot() == before


def test_new_township_without_county_when_none_exists_is_refused(db):
    error = refused("zhouxiang", "周巷镇")

    assert "--county" in str(error)
    assert "还没有任何县总工会" in str(error)
    assert snapshot() == []


def test_new_township_without_county_among_several_names_them(county, other_county_township):
    before = snapshot()

    error = refused("zhouxiang", "周巷镇")

    assert "慈溪县" in str(error) and "余姚县" in str(error)
    assert "--county" in str(error)
    assert snapshot() == before


@pytest.mark.parametrize("code", ["慈东", "ci dong", "ci/dong", "cidong!", "", "x" * 41])
def test_bad_code_is_refused(county, code):
    error = refused(code, "周巷镇")

    assert "乡镇代码" in str(error)
    assert snapshot() == [("慈溪县",)]


def test_empty_name_is_refused_and_no_county_is_created(db):
    error = refused("zhouxiang", "  ", "--county", "余姚县")

    assert "乡镇名称不能为空" in str(error)
    assert snapshot() == []


def test_every_problem_is_reported_at_once(db):
    error = refused("周巷", "", "--county", "")

    message = str(error)
    assert "乡镇代码" in message and "乡镇名称不能为空" in message
    assert "县总工会名称不能为空" in message


def test_new_name_clashing_in_same_county_is_refused(township_a):
    before = snapshot()

    error = refused("cidong2", "慈东镇")

    assert "慈溪县已有名为“慈东镇”的乡镇工会（代码 cidong）" in str(error)
    assert snapshot() == before


def test_rename_clashing_in_same_county_is_refused(township_a, township_b):
    before = snapshot()

    error = refused("xishan", "慈东镇")

    assert "已有名为“慈东镇”" in str(error)
    assert snapshot() == before


def test_same_name_in_another_county_is_allowed(township_a):
    run("cidong-yy", "慈东镇", "--county", "余姚县")

    assert Township.objects.filter(name="慈东镇").count() == 2


def test_constraint_caught_by_the_database_gives_a_message_not_a_traceback(township_a, monkeypatch):
    # A second writer inserting the same name between check and write (PostgreSQL) ends in the
    # database's unique constraint; simulate it by skipping the check.
    monkeypatch.setattr("unionportal.services._name_clash", lambda **kwargs: None)
    before = snapshot()

    error = refused("cidong2", "慈东镇")

    assert "刚被另一操作占用" in str(error)
    assert snapshot() == before


def test_surrounding_spaces_are_trimmed(county):
    run(" zhouxiang ", " 周巷镇 ")

    assert Township.objects.filter(code="zhouxiang", name="周巷镇").exists()


# The exit status is what a script sees: run the real command line once against a file database.


@pytest.fixture(scope="module")
def shell_env(tmp_path_factory) -> dict[str, str]:
    db_file = tmp_path_factory.mktemp("cli") / "cli.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_file}", "DEBUG": "0"}
    manage("migrate", "--noinput", env=env, check=True)
    return env


def manage(*args: str, env: dict[str, str], check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


@pytest.mark.slow
def test_command_line_exit_status_is_0_1_or_2(shell_env):
    created = manage("add_township", "zhouxiang", "周巷镇", "--county", "慈溪县", env=shell_env)
    assert created.returncode == 0, created.stderr
    assert "已新建乡镇工会“周巷镇”" in created.stdout

    invalid = manage("add_township", "周巷", "周巷镇", env=shell_env)
    assert invalid.returncode == 1
    assert "乡镇代码“周巷”无效" in invalid.stderr
    assert "Traceback" not in invalid.stderr

    clash = manage("add_township", "zhouxiang2", "周巷镇", env=shell_env)
    assert clash.returncode == 1
    assert "慈溪县已有名为“周巷镇”的乡镇工会" in clash.stderr
    assert "Traceback" not in clash.stderr

    usage = manage("add_township", "only-code", env=shell_env)
    assert usage.returncode == 2
    assert "NAME" in usage.stderr
