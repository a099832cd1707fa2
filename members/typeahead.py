"""The type-ahead boxes of record forms: members, unions and employers, searched as you type
(records/lookup/<kind>/ answers with JSON)."""

from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from members.models import Employer, GrassrootsUnion, Member
from unionportal.masking import mask_id_number
from unionportal.pii import id_number_hash
from unionportal.records import Lookup, lookup_response
from unionportal.validators import normalize_id_number


def _member_search(q: str) -> Q:
    # The ID is encrypted: only a whole number is found (by its keyed hash), not a prefix.
    found = Q(name__prefix=q) | Q(card_number=q)
    if len(normalize_id_number(q)) in (15, 18):
        found |= Q(id_number_hash=id_number_hash(q))
    return found


# The ID number is masked in the suggestions: enough to tell two namesakes apart.
MEMBER = Lookup(
    "member",
    Member,
    _member_search,
    lambda m: f"{m.name}（{mask_id_number(m.id_number)}）",
    ("name", "id"),
)
UNION = Lookup("union", GrassrootsUnion, lambda q: Q(name__contains=q), str, ("name",))
EMPLOYER = Lookup(
    "employer",
    Employer,
    lambda q: Q(name__contains=q) | Q(credit_code__startswith=q.upper()),
    str,
    ("name",),
)
LOOKUPS = {lookup.kind: lookup for lookup in (MEMBER, UNION, EMPLOYER)}


@require_GET
def record_lookup(request: HttpRequest, kind: str) -> JsonResponse:
    """Up to 20 records of `kind` the user may see matching ?q (see lookup_response)."""
    lookup = LOOKUPS.get(kind)
    if lookup is None:
        return JsonResponse({"results": []}, status=404)
    return lookup_response(request, lookup)
