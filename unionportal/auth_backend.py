"""The authentication backend (AUTHENTICATION_BACKENDS): Django's ModelBackend, with the signed-in
user read on every request by one query compiled once per process.

Every signed-in request loads its user (with the township and county every page header shows:
PortalUserManager's select_related). The ORM builds and compiles that query each time, about
0.7 ms of Python for a 0.05 ms primary-key read. Here the manager's own query is compiled once
per database and worker, and each request only runs its SQL and turns the row into objects the
way the ORM does (its converters, Model.from_db, its select_related populators): the same fields,
the same related objects. The row is read afresh on every request, nothing is kept between
requests, so a deactivated account or a changed password (the session hash django.contrib.auth
checks against this very row) ends the session on the next request in every worker.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.db.models.query import get_related_populators


@dataclass(frozen=True)
class _UserQuery:
    """PortalUserManager's query for one user, compiled for one database."""

    sql: str
    converters: dict
    compiler: object
    init_list: list[str]
    fields_start: int
    fields_end: int
    populators: list


@cache
def _user_query(alias: str) -> _UserQuery:
    user_model = get_user_model()
    marker = 987654321  # a placeholder primary key, found among the parameters below
    queryset = user_model._default_manager.using(alias).filter(pk=marker)
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    if list(params) != [marker]:
        raise RuntimeError(f"the user query has parameters {params!r}, expected the key alone")
    select, klass_info = compiler.select, compiler.klass_info
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    return _UserQuery(
        sql=sql,
        converters=compiler.get_converters([s[0] for s in select[0 : compiler.col_count]]),
        compiler=compiler,
        init_list=[f[0].target.attname for f in select[start:end]],
        fields_start=start,
        fields_end=end,
        populators=get_related_populators(klass_info, select, alias),
    )


def load_user(user_id):
    """The user with primary key `user_id` and their select_related township and counties, as
    `User.objects.get(pk=user_id)` gives them; None if there is no such user."""
    user_model = get_user_model()
    alias = router.db_for_read(user_model)
    query = _user_query(alias)
    connection = connections[alias]
    key = user_model._meta.pk.get_db_prep_value(user_id, connection, prepared=False)
    with connection.cursor() as cursor:
        cursor.execute(query.sql, [key])
        rows = cursor.fetchall()
    if len(rows) != 1:
        return None
    if query.converters:
        rows = list(query.compiler.apply_converters(rows, query.converters))
    row = rows[0]
    user = user_model.from_db(alias, query.init_list, row[query.fields_start : query.fields_end])
    for populator in query.populators:
        populator.populate(row, user)
    return user


class PortalModelBackend(ModelBackend):
    """ModelBackend (passwords, permissions) whose get_user reads the user with load_user."""

    def get_user(self, user_id):
        user = load_user(user_id)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None
