"""Bulk writes of an import: rows inserted and updated with executemany, their history rows,
and relations bound, in batches (BATCH_SIZE) inside the import's transaction."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from unionportal import pii
from unionportal.models import User
from unionportal.pii import EncryptedIdNumberField

BATCH_SIZE = 1000
CHANGE_REASON = "导入数据交换工作簿"


def converter(model_field: models.Field):
    """How a value of this field is bound, or None when it binds as it is. Conversions are
    remembered per value: an import repeats the same dates, stamps and amounts many times.
    An ID number is sealed afresh each time (a new nonce per value: never remembered)."""
    if isinstance(model_field, EncryptedIdNumberField):
        return pii.encrypt
    if not isinstance(model_field, models.DateField | models.DecimalField):
        return None
    db = connections[DEFAULT_DB_ALIAS]  # not the proxy: it costs a context-local lookup per use
    converted: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return converted[value]
        except KeyError:
            converted[value] = result = model_field.get_db_prep_save(value, db)
            return result

    return convert


def run_many(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= 2000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def bind_relations(model: type[models.Model], objs: list[models.Model]) -> None:
    """Copy the primary key of a related record saved earlier in this import to the FK."""
    relations = [f for f in model._meta.concrete_fields if f.is_relation]
    for obj in objs:
        for relation in relations:
            related = relation.get_cached_value(obj, None)
            if related is not None and getattr(obj, relation.attname) is None:
                setattr(obj, relation.attname, related.pk)


def insert(model: type[models.Model], objs: list[models.Model]) -> None:
    bind_relations(model, objs)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    plan = [(f.attname, converter(f)) for f in fields]
    rows = (
        tuple(
            getattr(obj, attname) if convert is None else convert(getattr(obj, attname))
            for attname, convert in plan
        )
        for obj in objs
    )
    run_many(model._meta.db_table, [f.column for f in fields], rows)


def update(model: type[models.Model], objs: list[models.Model], names: list[str]) -> None:
    bind_relations(model, objs)
    fields = [model._meta.get_field(n) for n in names]
    plan = [(f.attname, converter(f)) for f in fields]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET "
        + ", ".join(f"{quote(f.column)} = %s" for f in fields)
        + f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    rows = [
        (
            *(
                getattr(obj, attname) if convert is None else convert(getattr(obj, attname))
                for attname, convert in plan
            ),
            obj.pk,
        )
        for obj in objs
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[start : start + 2000])


def insert_history(
    model: type[models.Model],
    objs: list[models.Model],
    kind: str,
    user: User | None,
    now: datetime.datetime,
) -> None:
    """One django-simple-history entry per record, as bulk_history_create would write it."""
    history = model.history.model
    tracked = [f for f in history.tracked_fields]
    plan = [(f.attname, converter(f)) for f in tracked]
    meta = history._meta
    stamp = meta.get_field("history_date").get_db_prep_save(now, connection)
    extra = (stamp, CHANGE_REASON, kind, user.pk if user else None)
    columns = [meta.get_field(f.name).column for f in tracked] + [
        "history_date",
        "history_change_reason",
        "history_type",
        meta.get_field("history_user").column,
    ]
    rows = (
        tuple(
            getattr(obj, attname) if convert is None else convert(getattr(obj, attname))
            for attname, convert in plan
        )
        + extra
        for obj in objs
    )
    run_many(meta.db_table, columns, rows)
