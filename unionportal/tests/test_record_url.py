"""{% record_url %} gives exactly what {% url %} gives for a list row's record page."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from unionportal.templatetags.records import record_url

PAGES = [
    "members:member_detail",
    "members:employer_detail",
    "members:union_detail",
    "members:contract_detail",
    "members:dues_detail",
    "welfare:visit_detail",
    "disputes:case_detail",
    "events:event_detail",
]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("prefix", ["/", "/gonghui/"])
def test_record_url_equals_reverse(name, prefix):
    set_script_prefix(prefix)
    try:
        for pk in (1, 42, 98765, 987654321987654):
            assert record_url(name, pk) == reverse(name, args=[pk])
    finally:
        clear_script_prefix()
