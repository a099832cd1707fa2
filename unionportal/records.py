"""The shared machinery of the record pages: list pages, history, delete, optimistic locking and
the type-ahead widget. Every kind's views (members/, welfare/, disputes/, events/) use these.

A list page's state lives in the URL only (?q, filters, ?from/?to, ?sort, ?page, ?township), so
a filtered list can be bookmarked and links keep the other parameters ({% querystring %}). The
search form is posted to `record_search`, which sends the browser back to the list by GET: a whole
ID number is replaced there by its keyed hash (?idh), so the number is in no URL.

How a kind uses it (members/views.py is the worked example):
- list: `listing = list_page(request, visible(user, Model).select_related(...), SPEC)`, render a
  template extending records/list.html (blocks table_head / table_row; `{% sort_th listing "key" %}`
  from `{% load records %}` for sortable headers) with listing, kind_label, create_url.
- detail: get_visible_or_404; `history_entries(record)` into records/_history.html;
  `record_actions(user, record)` into records/_detail_actions.html (no controls for reviewers).
- create/update, and steps such as closing a case: a form with a hidden `version` (VersionedForm
  for a model's fields: unionportal/forms.py, with the other form helpers);
  township_for_new_record(request); `record_form_page(request, form, save=…)` with a service
  that calls create_record/update_record: it is the one road for a stale save (409, the user's
  input kept, the new version carried so a second submit goes through).
- delete: get_writable_or_404, then `delete_page(request, record, success_url=…, cancel_url=…)`.
- related record among thousands: `typeahead_field(lookup, queryset, …)` with a Lookup the
  owning app declares (members/typeahead.py);
  pages with such a field load static/js/typeahead.js (records/form.html does).
URL names: <app>:<kind>_list, _detail (pk), _create, _update (pk), _delete (pk).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    PROTECT,
    CharField,
    Count,
    DecimalField,
    F,
    Func,
    Model,
    ProtectedError,
    Q,
    QuerySet,
    TextField,
    Window,
)
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unionportal.access import (
    can_write,
    get_writable_or_404,
    mark_scoped,
    may_add_records,
    visible,
    visible_townships,
    writable_townships,
)
from unionportal.counts import visible_total
from unionportal.fields import MONEY, money_text
from unionportal.masking import mask_id_number, mask_mobile
from unionportal.models import TownshipRecord, User
from unionportal.pii import HASH_LENGTH, id_number_hash
from unionportal.record_services import StaleRecord, delete_record
from unionportal.validators import normalize_id_number, parse_id

PAGE_SIZE = 50


# ---------------------------------------------------------------------------------------------
# List pages


@dataclass(frozen=True)
class ListFilter:
    """One filter of a list page: a URL parameter and what it does to the queryset.

    `choices` are shown as a select; `apply(queryset, value)` narrows the queryset. A filter with
    no choices is a hidden one (e.g. ?union=<id> from a detail page's link) shown as a chip.
    """

    param: str
    label: str
    apply: Callable[[QuerySet, str], QuerySet]
    choices: list[tuple[str, str]] = field(default_factory=list)
    # What a hidden filter's chip says, with {value} for the chosen value (e.g. a dashboard
    # link's day: "截至{value}已办结"); the label when empty (an id means nothing to a reader).
    chip: str = ""

    def chip_text(self, value: str) -> str:
        return self.chip.format(value=value) if self.chip else self.label


def choice_filter(param: str, label: str, lookup: str, choices) -> ListFilter:
    """A select filter on a TextChoices field: ?param=<value>."""
    valid = {str(v) for v, _ in choices}

    def apply(qs: QuerySet, value: str) -> QuerySet:
        return qs.filter(**{lookup: value}) if value in valid else qs

    return ListFilter(param, label, apply, [(str(v), lab) for v, lab in choices])


def yes_no_filter(param: str, label: str, lookup: str) -> ListFilter:
    """?param=1 (是) or ?param=0 (否) on a boolean field."""

    def apply(qs: QuerySet, value: str) -> QuerySet:
        if value in ("1", "0"):
            return qs.filter(**{lookup: value == "1"})
        return qs

    return ListFilter(param, label, apply, [("1", _("是")), ("0", _("否"))])


def id_filter(param: str, label: str, lookup: str) -> ListFilter:
    """?param=<id>: a related record, usually set by a link from a detail page."""

    def apply(qs: QuerySet, value: str) -> QuerySet:
        pk = parse_id(value)
        return qs.filter(**{lookup: pk}) if pk is not None else qs.none()

    return ListFilter(param, label, apply)


def text_search(*fields: str) -> Callable[[str], Q]:
    """A list's search: the text found in any of these fields (field__contains)."""

    def search(q: str) -> Q:
        found = Q()
        for name in fields:
            found |= Q(**{f"{name}__contains": q})
        return found

    return search


@dataclass(frozen=True)
class ListSpec:
    """What a kind's list page offers. `search` builds the Q for ?q; `sorts` maps a sort key
    (?sort=key or -key) to its label and the order_by fields; the first sort is the default."""

    search: Callable[[str], Q]
    sorts: dict[str, tuple[str, tuple[str, ...]]]
    default_sort: str
    filters: list[ListFilter] = field(default_factory=list)
    date_field: str | None = None
    date_label: str = _("日期")
    search_placeholder: str = _("搜索")
    # The add button's words ("新增会员": "Add member" in English, not "Add to Members").
    add_label: str = ""
    # The fields a row of the page shows (related ones as union__name), when the kind names
    # them: the page's 50 rows are fetched with these columns only. Building the rows is most of
    # a list page's ORM time, and a member row with its union, employer and township has some
    # sixty columns to convert where the page shows ten (4.7 → 2.7 ms). A field the template
    # reads but this leaves out costs a query per row: the query-count tests catch it.
    row_fields: tuple[str, ...] = ()
    # A kind whose rows are built in Python: `row_cells(rows, show_township)` gets the page's rows
    # as named tuples of pk and `row_fields` (values_list: no model instances; annotations such as
    # is_overdue may be named too) and returns each row's <td>s as safe HTML, byte for byte what
    # a table_row block would render. Fifty rows of nine cells through the template cost a list
    # page more than its queries (variable lookups, filters, translations per cell); done once per
    # page in Python they cost a fraction. Its template then leaves the table_row block out.
    row_cells: Callable[[list, bool], list[str]] | None = None


def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass
class ListPage:
    """Everything a list template needs; built by `list_page`."""

    page: Any
    total: int
    q: str
    sort: str
    filters: list[tuple[ListFilter, str]]
    date_from: str
    date_to: str
    date_error: bool
    spec: ListSpec
    townships: list | None
    township: str
    can_add: bool
    # The searched, filtered and sorted records (all pages): what "导出 Excel" writes.
    queryset: Any = None
    # A search by a whole ID number: its keyed hash (?idh), never the number.
    id_hash: str = ""
    active: bool = field(init=False)
    # "已按…筛选" chips of the hidden filters in use (those without a select to show them).
    chips: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.chips = [f.chip_text(v) for f, v in self.filters if v and not f.choices]
        if self.id_hash:
            self.chips.insert(0, _("完整身份证号"))
        self.active = bool(
            self.id_hash
            or self.q
            or any(v for _f, v in self.filters)
            or self.date_from
            or self.date_to
            or self.township
        )

    @property
    def rows(self) -> list:
        return list(self.page.object_list)

    @cached_property
    def row_html(self) -> list[str] | None:
        """Each row's cells as safe HTML when the kind builds them (ListSpec.row_cells), else
        None and the template's table_row block renders the rows."""
        if self.spec.row_cells is None:
            return None
        return self.spec.row_cells(self.rows, bool(self.townships))

    @property
    def sort_columns(self) -> dict[str, str]:
        """For each sort key: the ?sort value a click on its header asks for."""
        current = self.sort.lstrip("-")
        descending = self.sort.startswith("-")
        return {
            key: (f"-{key}" if key == current and not descending else key)
            for key in self.spec.sorts
        }


def _sorted_after_search(model, fields: tuple) -> tuple:
    """Text sort keys as expressions (`name || ''`) once a search has narrowed the rows.

    PostgreSQL would otherwise read the whole name index in order and test each row against the
    search until it has a page: a county reviewer's search for 王 walked past 160,000 names
    (0.13 s), because the names it wants sit together halfway down. Sorting the ten thousand
    matches found through the search's own indexes takes a few milliseconds; the order is the
    same (the same column, the same collation)."""
    keyed = []
    for name in fields:
        descending = name.startswith("-")
        column = name.lstrip("-")
        try:
            field = model._meta.get_field(column)
        except FieldDoesNotExist:
            field = None
        if isinstance(field, CharField | TextField):
            expression = Func(F(column), template="(%(expressions)s || '')", output_field=field)
            keyed.append(expression.desc() if descending else expression.asc())
        else:
            keyed.append(name)
    return tuple(keyed)


def list_page(request: HttpRequest, queryset: QuerySet, spec: ListSpec) -> ListPage:
    """Apply the URL's search, filters, date range, township and sort to `queryset` (already
    narrowed by the access door) and cut a 50-row page with the total count.

    Three queries whatever the page size: the total, the page's ids, and those rows with their
    related records (plus the township list for county reviewers and administrators). Without
    a search, filter or township the total is the townships' kept counts (one query for their
    data tokens), so `queryset` must be visible(user, Model), with joins or annotations added
    but not narrowed.
    """
    user: User = request.user
    params = request.GET
    door = queryset  # the access door's rows, before the URL narrows them
    # PostgreSQL refuses a NUL character in a query parameter; no record contains one.
    q = params.get("q", "").replace("\x00", "").strip()
    if q:
        queryset = queryset.filter(spec.search(q))
    id_hash = params.get("idh", "").strip()
    if id_hash:
        queryset = _with_id_hash(queryset, id_hash)
    chosen: list[tuple[ListFilter, str]] = []
    for flt in spec.filters:
        value = params.get(flt.param, "").replace("\x00", "").strip()
        if value:
            queryset = flt.apply(queryset, value)
        chosen.append((flt, value))
    date_from, date_to = params.get("from", "").strip(), params.get("to", "").strip()
    start, end = parse_date(date_from), parse_date(date_to)
    date_error = bool((date_from and not start) or (date_to and not end))
    if spec.date_field and start:
        queryset = queryset.filter(**{f"{spec.date_field}__gte": start})
    if spec.date_field and end:
        queryset = queryset.filter(**{f"{spec.date_field}__lte": end})

    townships = None
    township = params.get("township", "").strip()
    township_id = parse_id(township)
    if not user.is_township_user or user.is_administrator:
        townships = list(visible_townships(user).values_list("pk", "name"))
    if township:
        queryset = (
            queryset.filter(township_id=township_id) if township_id is not None else queryset.none()
        )

    sort = params.get("sort", "").strip() or spec.default_sort
    if sort.lstrip("-") not in spec.sorts:
        sort = spec.default_sort
    fields = spec.sorts[sort.lstrip("-")][1]
    if sort.startswith("-"):
        fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
    if q and connection.vendor == "postgresql":
        fields = _sorted_after_search(queryset.model, fields)
    queryset = queryset.order_by(*fields)

    # Sort and cut the page on ids alone, then fetch those 50 rows with their joins: sorting
    # 300,000 narrow rows is several times cheaper than sorting them with every joined column.
    paginator = Paginator(queryset.values_list("pk", flat=True), PAGE_SIZE)
    narrowed = bool(q or id_hash or township or date_from or date_to or any(v for _, v in chosen))
    if not narrowed:
        # Everything the user may see: the total is the sum of the townships' counts, kept
        # under their data tokens (a county reviewer's member list counted 300,000 rows on
        # every page, 40 ms on PostgreSQL). Paginator.count is a cached property: set it.
        if townships is not None:
            ids = [pk for pk, _ in townships]
        else:
            ids = [user.township_id] if user.township_id else []
        paginator.count = visible_total(user, queryset.model, ids)
    page = paginator.get_page(params.get("page"))
    ids = list(page.object_list)
    rows = queryset.order_by()
    if spec.row_cells is not None:
        # The page's ids were cut from the narrowed query: fetch their rows through the access
        # door alone, without the search and filters again (on PostgreSQL the rows query's plan
        # cost as much as running it), and without the township's name when no column shows it
        # (a township user's rows all lie in their township: the join drops none).
        fields = spec.row_fields
        if townships is None:
            fields = tuple(f for f in fields if f != "township__name")
        found = (
            {
                row.pk: row
                for row in door.order_by().filter(pk__in=ids).values_list("pk", *fields, named=True)
            }
            if ids
            else {}
        )
    else:
        if spec.row_fields:
            rows = rows.only(*spec.row_fields)
        found = rows.in_bulk(ids) if ids else {}
    page.object_list = [found[pk] for pk in ids if pk in found]
    return ListPage(
        page=page,
        total=paginator.count,
        q=q,
        sort=sort,
        filters=chosen,
        date_from=date_from,
        date_to=date_to,
        date_error=date_error,
        spec=spec,
        townships=townships,
        township=township,
        can_add=may_add_records(user) if not user.is_reviewer else False,
        queryset=queryset,
        id_hash=id_hash,
    )


def _with_id_hash(queryset: QuerySet, id_hash: str) -> QuerySet:
    """The rows whose ID number has this keyed hash; none for a kind without ID numbers or a
    value that is no such hash."""
    valid = len(id_hash) == HASH_LENGTH and all(c in "0123456789abcdef" for c in id_hash)
    try:
        queryset.model._meta.get_field("id_number_hash")
    except FieldDoesNotExist:
        valid = False
    return queryset.filter(id_number_hash=id_hash) if valid else queryset.none()


# Fields of the posted form that are not the list's own state: not carried back.
_SEARCH_SKIPPED = {"csrfmiddlewaretoken", "next", "page"}


@require_POST
def record_search(request: HttpRequest) -> HttpResponse:
    """A list's search form, posted so that nothing typed in it is logged with the address: back
    to the list (`next`, a page of the portal) by GET with the form's values, a whole ID number
    replaced by its keyed hash (?idh) and empty fields left out. A redirect, so reloading the list
    does not post again."""
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    # The hash of an earlier ID search rides along in the form until something else is typed.
    skipped = _SEARCH_SKIPPED | ({"idh"} if request.POST.get("q", "").strip() else set())
    query: list[tuple[str, str]] = []
    for name, values in request.POST.lists():
        if name in skipped:
            continue
        for value in values:
            value = value.replace("\x00", "").strip()
            if name == "q" and len(normalize_id_number(value)) in (15, 18):
                name, value = "idh", id_number_hash(value)
            if value:
                query.append((name, value))
    location = f"{target.split('?', 1)[0]}?{urlencode(query)}" if query else target
    return HttpResponseRedirect(location)


# ---------------------------------------------------------------------------------------------
# History


# Bookkeeping fields left out of "what changed".
_HIDDEN_IN_HISTORY = {
    "updated_at",
    "updated_by",
    "version",
    "created_at",
    "created_by",
    "id_number_hash",
    # A transfer's member record in the receiving township: linked on the page for that
    # township alone; in the history both townships read it would be a bare record number.
    "received_member",
}
# Personal numbers appear masked in a record's history, as on every page but the reveal.
_MASKED_IN_HISTORY = {"id_number": mask_id_number, "mobile": mask_mobile}
HISTORY_TYPES = {"+": _("新增"), "~": _("修改"), "-": _("删除")}


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    action: str
    changes: list[tuple[str, str, str]]
    # The step a service named (转会（…）, 离会（…）); stored as written, in Chinese.
    reason: str = ""


def _display(model: type[Model], name: str, value: Any, names: dict) -> str:
    if value is None or value == "":
        return _("（空）")
    field_ = model._meta.get_field(name)
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field_.is_relation:
        return names.get((name, value), f"#{value}")
    if name in _MASKED_IN_HISTORY:
        return _MASKED_IN_HISTORY[name](str(value))
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(field_, DecimalField) and (field_.max_digits, field_.decimal_places) == (
        MONEY["max_digits"],
        MONEY["decimal_places"],
    ):
        return money_text(value)  # amounts read as on every page: 36,000.00
    return str(value)


@cache
def _historical_model(model: type[TownshipRecord]) -> type:
    """The kind's history model. `record.history` (simple_history's descriptor) builds a new
    manager class (Manager.from_queryset) on every access: about 0.25 ms of each detail page."""
    return model.history.model


HISTORY_LIMIT = 30


def history_rows(model: type[TownshipRecord], pk: int, limit: int = HISTORY_LIMIT) -> QuerySet:
    """The record's history rows (one more than `limit`, newest first) with their users."""
    return (
        _historical_model(model)
        ._default_manager.filter(**{model._meta.pk.attname: pk})
        .select_related("history_user")
        .order_by("-history_id")[: limit + 1]
    )


def history_entries(
    record: TownshipRecord, *, limit: int = HISTORY_LIMIT, rows: Iterable | None = None
) -> list[HistoryEntry]:
    """The record's changes, newest first: who, when, and each changed field old → new.

    A fixed number of queries: the history rows with their users, then one query per related
    model whose records appear in the changes (to show names instead of ids). `rows`: the
    history rows already fetched as history_rows() would (a page's prepared query).
    """
    model = type(record)
    rows = list(history_rows(model, record.pk, limit) if rows is None else rows)
    diffs: list[tuple[Any, list]] = []
    wanted: dict[str, set] = {}
    for newer, older in zip(rows, rows[1:] + [None], strict=False):
        if len(diffs) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older, excluded_fields=list(_HIDDEN_IN_HISTORY))
            for change in delta.changes:
                changes.append((change.field, change.old, change.new))
                if model._meta.get_field(change.field).is_relation:
                    wanted.setdefault(change.field, set()).update({change.old, change.new})
        diffs.append((newer, changes))
    names: dict[tuple[str, Any], str] = {}
    for name, ids in wanted.items():
        related = model._meta.get_field(name).related_model
        found = related._default_manager.filter(pk__in=[i for i in ids if i is not None])
        if issubclass(related, TownshipRecord):
            # A record only ever points at its own township's records; never name another's.
            found = found.filter(township_id=record.township_id)
        for obj in found:
            names[(name, obj.pk)] = str(obj)
    entries = []
    for row, changes in diffs:
        user = row.history_user
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=user.display_name if user else _("系统"),
                action=HISTORY_TYPES.get(row.history_type, row.history_type),
                reason=row.history_change_reason or "",
                changes=[
                    (
                        str(model._meta.get_field(f).verbose_name),
                        _display(model, f, old, names),
                        _display(model, f, new, names),
                    )
                    for f, old, new in changes
                ],
            )
        )
    return entries


# ---------------------------------------------------------------------------------------------
# Delete


# How a count of each kind reads in the "cannot delete" message (measure word and name).
_COUNTED = {
    "member": _("名会员"),
    "employer": _("家单位"),
    "grassrootsunion": _("个基层工会"),
    "collectivecontract": _("份集体合同"),
    "duesrecord": _("条经费记录"),
    "welfarevisit": _("条慰问记录"),
    "case": _("件信访案件"),
    "event": _("项活动"),
}


def dependants(record: Model) -> list[tuple[int, str]]:
    """(count, "名会员") for each kind of record that protects this one from deletion.

    Counted in SQL, one query per protecting relation: a union with 10,000 members is not loaded.
    """
    found = []
    for rel in record._meta.related_objects:
        if not isinstance(rel, ForeignObjectRel) or rel.on_delete is not PROTECT:
            continue
        # Records pointing at one the view already fetched through the access door.
        pointing = rel.related_model._default_manager.filter(**{rel.field.name: record.pk})
        n = mark_scoped(pointing).count()
        if n:
            meta = rel.related_model._meta
            counted = _COUNTED.get(meta.model_name) or _("条{kind}").format(kind=meta.verbose_name)
            found.append((n, counted))
    return found


def protected_message(record: Model, found: list[tuple[int, str]]) -> str:
    parts = _("、").join(f"{n} {label}" for n, label in found)
    kind = record._meta.verbose_name
    return _("该{kind}下还有 {parts}，不能删除。请先转移或删除这些记录。").format(
        kind=kind, parts=parts
    )


def delete_page(
    request: HttpRequest,
    record: TownshipRecord,
    *,
    success_url: str,
    cancel_url: str,
    delete: Callable[..., None] = delete_record,
) -> HttpResponse:
    """GET: the confirmation page (saying up front why deletion is impossible, if it is).
    POST: delete through `delete(user=…, record=…)`, or say why not if others depend on it.

    The caller has already fetched the record with get_writable_or_404.
    """
    found = dependants(record)
    if request.method == "POST" and not found:
        try:
            delete(user=request.user, record=record)
        except ProtectedError:
            # Someone added a dependant between the check and the delete.
            found = dependants(record)
        else:
            messages.success(
                request,
                _("已删除{verbose_name}“{record}”。").format(
                    verbose_name=record._meta.verbose_name, record=record
                ),
            )
            return redirect(success_url)
    reason = protected_message(record, found) if found else ""
    status = 409 if request.method == "POST" and found else 200
    return render(
        request,
        "records/delete_confirm.html",
        {
            "record": record,
            "kind": record._meta.verbose_name,
            "reason": reason,
            "cancel_url": cancel_url,
        },
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# Forms: optimistic locking, the township of a new record, the type-ahead widget


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError beside the form's fields (above the form for fields the
    form does not show)."""
    if hasattr(error, "error_dict"):
        for name, found in error.message_dict.items():
            form.add_error(name if name in form.fields else None, found)
    else:
        form.add_error(None, error.messages)


def refuse_stale(form: forms.BaseForm, error: StaleRecord) -> None:
    """Show who saved in between; keep what the user typed, but carry the version now stored in
    the form's hidden `version`, so a deliberate second submit, after checking, goes through."""
    form.add_error(None, error.message)
    form.data = form.data.copy()
    form.data["version"] = str(error.current.version)


def record_form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[], Model],
    saved_message: Callable[[Model], str],
    saved_url: Callable[[Model], str],
    title: str,
    cancel_url: str,
    township=None,
    template: str = "records/form.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Run a record's form (add, edit, or a step such as closing a case or a transfer): on a
    valid POST call `save` (a service), then redirect with a message.

    The one road for a save refused because someone else saved first (StaleRecord): 409, the
    user's input kept, the new version carried (refuse_stale). A service's ValidationError shows
    beside the fields. `template` (records/form.html unless the step has its own) gets form,
    title, cancel_url, township, townships and `context`.
    """
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            record = save()
        except StaleRecord as error:
            refuse_stale(form, error)
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved_message(record))
            return redirect(saved_url(record))
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "township": township,
            "townships": creatable_townships(request.user) if township else None,
            **(context or {}),
        },
        status=status,
    )


def add_record_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[], Model],
    label: str,
    verb: str,
    detail_url: str,
    list_url: str,
    township,
) -> HttpResponse:
    """A kind's add page: "<verb><label>" (e.g. 登记信访案件), back to the list on cancel, to the
    new record's page (URL name `detail_url`) once saved."""
    return record_form_page(
        request,
        form,
        save=save,
        saved_message=lambda record: _("已{verb}{label}“{record}”。").format(
            verb=verb, label=label, record=record
        ),
        saved_url=lambda record: reverse(detail_url, args=[record.pk]),
        title=_("{verb}{label}").format(verb=verb, label=label),
        cancel_url=reverse(list_url),
        township=township,
    )


def edit_record_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    record: Model,
    save: Callable[[], Model],
    label: str,
    detail_url: str,
) -> HttpResponse:
    """A kind's edit page: "修改<label>：<record>", back to the record's page on cancel and once
    saved."""
    return record_form_page(
        request,
        form,
        save=save,
        saved_message=lambda saved: _("已保存{label}“{saved}”。").format(label=label, saved=saved),
        saved_url=lambda saved: reverse(detail_url, args=[saved.pk]),
        title=_("修改{label}：{record}").format(label=label, record=record),
        cancel_url=reverse(detail_url, args=[record.pk]),
    )


def record_create(
    request: HttpRequest,
    *,
    form_class: type[forms.BaseForm],
    create: Callable[..., Model],
    label: str,
    verb: str,
    detail_name: str,
    list_name: str,
) -> HttpResponse:
    """The add page of a kind whose form takes its township and whose service is
    create(user=, township=, data=): the kind's urls.py passes them (cases, events)."""
    township = township_for_new_record(request)
    form = form_class(request.POST or None, township=township)
    return add_record_page(
        request,
        form,
        save=lambda: create(user=request.user, township=township, data=form.data_for_service),
        label=label,
        verb=verb,
        detail_url=detail_name,
        list_url=list_name,
        township=township,
    )


def record_update(
    request: HttpRequest,
    pk: int,
    *,
    record_model: type[TownshipRecord],
    form_class: type[forms.BaseForm],
    update: Callable[..., Model],
    label: str,
    detail_name: str,
) -> HttpResponse:
    """The edit page of such a kind: update(user=, record=, data=, expected_version=)."""
    record = get_writable_or_404(request.user, record_model, pk)
    form = form_class(request.POST or None, instance=record, township=record.township)
    return edit_record_page(
        request,
        form,
        record=record,
        save=lambda: update(
            user=request.user,
            record=record,
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        label=label,
        detail_url=detail_name,
    )


def township_for_new_record(request: HttpRequest):
    """The township a new record goes into: the user's own; an administrator picks one with
    ?township=<id> or the form's `township` field. Reviewers are refused (403)."""
    user: User = request.user
    if user.is_township_user and not user.is_administrator:
        return user.township
    if user.is_administrator:
        chosen = request.POST.get("township") or request.GET.get("township")
        townships = writable_townships(user)
        if parse_id(chosen) is not None:
            found = townships.filter(pk=parse_id(chosen)).first()
            if found:
                return found
        return townships.first()
    raise PermissionDenied(_("您的角色只能查看，不能新增记录。"))


def creatable_townships(user: User) -> list | None:
    """The townships an administrator may choose between when adding a record (None for staff
    and chairs, whose records always go to their own township)."""
    if not user.is_administrator:
        return None
    return list(writable_townships(user).only("pk", "name"))


@dataclass(frozen=True)
class Lookup:
    """What a type-ahead box searches: `kind` names it in the URL (records/lookup/<kind>/), and
    the app that owns the model declares it (members/typeahead.py)."""

    kind: str
    model: type[Model]
    search: Callable[[str], Q]
    # The label shown in the suggestions and in the box once chosen.
    label: Callable[[Model], str]
    order: tuple[str, ...]


# The visible box of a type-ahead is posted as <field name> + this, beside the hidden id.
TYPED_SUFFIX = "__typed"


class TypeaheadWidget(forms.Widget):
    """A text box that searches as you type, with the chosen record's id in a hidden input.

    Backed by the `record_lookup` JSON endpoint and static/js/typeahead.js (no inline script).
    """

    # In unionportal/templates/: the default form renderer reads app templates only.
    template_name = "records/widgets/typeahead.html"

    def __init__(self, lookup: Lookup, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.lookup = lookup
        # Set by the form to offer only one township's records.
        self.township_id: int | None = None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """The chosen id; with none, the record whose name is exactly the typed text (when one
        record of the township has it), else the typed text itself, which the field refuses and
        the box shows again instead of erasing what was typed."""
        chosen = data.get(name)
        if parse_id(chosen) is not None:
            return chosen
        typed = (data.get(f"{name}{TYPED_SUFFIX}") or "").strip()
        if not typed:
            return chosen
        if "\x00" in typed:
            # No name holds a NUL (PostgreSQL refuses it in a query); the field refuses the text.
            return typed
        named = self.lookup.model._default_manager.filter(name=typed)
        if self.township_id:
            named = named.filter(township_id=self.township_id)
        matches = list(named.values_list("pk", flat=True)[:2])
        return str(matches[0]) if len(matches) == 1 else typed

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        label = ""
        if value not in (None, "") and parse_id(value) is None:
            # Typed text that names no single record: shown again, with no id behind it.
            label, context["widget"]["value"] = str(value), ""
        elif value not in (None, ""):
            pk = parse_id(value)
            found = self.lookup.model._default_manager.filter(pk=pk) if pk is not None else None
            if found is not None and self.township_id:
                # A posted id of another township's record must not echo that record's name.
                found = found.filter(township_id=self.township_id)
            obj = found.first() if found is not None else None
            label = self.lookup.label(obj) if obj else ""
        url = reverse("record_lookup", args=[self.lookup.kind])
        if self.township_id:
            url += f"?township={self.township_id}"
        context["widget"].update(
            {
                "url": url,
                "label": label,
                "kind": self.lookup.kind,
                "typed_name": f"{name}{TYPED_SUFFIX}",
                # Screen readers announce the field's help and error text with the box.
                "describedby": context["widget"]["attrs"].get("aria-describedby", ""),
            }
        )
        return context


def typeahead_field(
    lookup: Lookup, queryset: QuerySet, *, label: str, required: bool = True, help_text: str = ""
) -> forms.ModelChoiceField:
    """A ModelChoiceField drawn as a type-ahead box (never renders thousands of options)."""
    return forms.ModelChoiceField(
        queryset=queryset,
        label=label,
        required=required,
        widget=TypeaheadWidget(lookup),
        help_text=help_text or _("输入名称或编号查找，从列表中选择。"),
        error_messages={
            "required": _("请选择一项（输入名称后从列表中选择）。"),
            "invalid_choice": _("所选记录不存在或不属于本乡镇，请重新选择。"),
        },
    )


def lookup_response(request: HttpRequest, lookup: Lookup) -> JsonResponse:
    """Up to 20 records of the lookup's kind the user may see whose name/ID starts with or
    contains ?q. ?township=<id> narrows to one township (a form only accepts its own township's
    records)."""
    q = request.GET.get("q", "").replace("\x00", "").strip()
    if not q:
        return JsonResponse({"results": []})
    records = visible(request.user, lookup.model).filter(lookup.search(q))
    township = parse_id(request.GET.get("township"))
    if township is not None:
        records = records.filter(township_id=township)
    found = records.order_by(*lookup.order)[:20]
    return JsonResponse({"results": [{"id": r.pk, "label": lookup.label(r)} for r in found]})


def get_visible_row_or_404(
    user: User, model: type[TownshipRecord], pk: object, prepare: Callable = lambda qs: qs
):
    """get_visible_or_404 with the page's select_related/annotate applied (one query).

    The one row is taken unordered (`[:1]`, not `.first()`): ordering a single row by the
    list's order made Django compile an ORDER BY over every selected column, a fifth of the
    query's work."""
    try:
        record = next(iter(prepare(visible(user, model)).filter(pk=pk).order_by()[:1]), None)
    except (ValueError, TypeError):
        record = None
    if record is None:
        raise Http404(_("记录不存在或无权查看。"))
    return record


def record_actions(user: User, record: TownshipRecord) -> dict[str, bool]:
    """Which controls a detail page draws: none for a reviewer (the server refuses anyway)."""
    writable = can_write(user, record.township_id)
    return {"can_edit": writable, "can_delete": writable}


def related_preview(queryset: QuerySet, *, limit: int = 10) -> tuple[int, list]:
    """(total, first `limit` rows): one query whatever the size of the relation.

    The total rides on each row as a window count (COUNT(*) OVER (), taken before the LIMIT), so
    a detail page's related boxes cost one query each instead of a count and a fetch: five
    fewer queries on a member's page (about 0.6 ms of ORM work each). No row, no total: 0."""
    if queryset.query.distinct:
        # The window would count the rows before DISTINCT removes the repeats.
        return queryset.count(), list(queryset[:limit])
    return preview_total(list(with_total(queryset, limit)))


def with_total(queryset: QuerySet, limit: int = 10) -> QuerySet:
    """The first `limit` rows of `queryset` (no DISTINCT), each with the number of all its rows
    (`_related_total`): related_preview's query, for a page that keeps it (prepared())."""
    return queryset.annotate(_related_total=Window(Count("pk")))[:limit]


def preview_total(rows: list) -> tuple[int, list]:
    """(total, rows) of the rows of with_total()."""
    return (rows[0]._related_total if rows else 0), rows


@dataclass
class RelatedCard:
    """A detail page's box of related records: the total and the first rows, linked."""

    title: str
    total: int
    items: list[tuple[str, str | None, str]]
    more_url: str | None = None


def related_card(
    title: str,
    queryset: QuerySet | None,
    url_name: str | None,
    *,
    note: Callable[[Any], str] = lambda r: "",
    label: Callable[[Any], str] = str,
    more_url: str | None = None,
    limit: int = 10,
    found: bool = True,
    rows: Iterable | None = None,
) -> RelatedCard:
    """One query (the first rows with the total) whatever the relation's size. A kind whose
    pages are not built yet (no such URL name) is listed without links.

    `found=False` when the page already knows the relation is empty (an Exists annotation on the
    record's own query): the card, with its total of 0, costs no query (`queryset` may be None).
    `rows`: the rows of with_total(queryset, limit), fetched by the page (a prepared query)."""
    if not found:
        return RelatedCard(title, 0, [], None)
    if rows is not None:
        total, rows = preview_total(list(rows))
    else:
        total, rows = related_preview(queryset, limit=limit)
    items = []
    for row in rows:
        try:
            url = reverse(url_name, args=[row.pk]) if url_name else None
        except NoReverseMatch:
            url = None
        items.append((label(row), url, note(row)))
    return RelatedCard(title, total, items, more_url if total else None)
