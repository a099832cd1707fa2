import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event, EventCategory

D = datetime.date


def test_event_ending_before_it_starts_is_refused_by_database(township_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            township=township_a,
            title="安康杯知识竞赛",
            starts_on=D(2026, 5, 2),
            ends_on=D(2026, 5, 1),
            category=EventCategory.SAFETY,
        )


def test_same_title_on_the_same_day_is_one_event(township_a):
    Event.objects.create(
        township=township_a,
        title="职工趣味运动会",
        starts_on=D(2026, 5, 1),
        category=EventCategory.SPORTS_CULTURE,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            township=township_a,
            title="职工趣味运动会",
            starts_on=D(2026, 5, 1),
            category=EventCategory.SPORTS_CULTURE,
        )


def test_end_date_message_names_the_field(township_a):
    event = Event(
        township=township_a,
        title="技能比武",
        starts_on=D(2026, 5, 2),
        ends_on=D(2026, 5, 1),
        category=EventCategory.COMPETITION,
    )
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert exc.value.message_dict["ends_on"] == ["结束日期不能早于开始日期。"]


def test_participating_units_split_on_chinese_separators(township_a):
    event = Event(
        township=township_a,
        title="执法检查",
        starts_on=D(2026, 5, 2),
        category=EventCategory.INSPECTION,
        participating_units="宁波恒达机械有限公司、慈东纺织厂；青石五金厂",
    )
    assert event.unit_names == ["宁波恒达机械有限公司", "慈东纺织厂", "青石五金厂"]
