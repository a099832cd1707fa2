"""The yes/no marks of every grassroots union become dated milestones (工会建设).

Before the milestones, a union's 规范化, 星级, 职代会制度, 厂务公开, 女职工委员会 and its chair were
marks without a date. Each mark that is set becomes a milestone dated the union's founding day
(成立日期): it is the only date the records hold for the union, and it keeps every summary of a
period after the founding stating the status it stated before this change (a later date would
make past summaries lose statuses they stated). A union's 撤销日期 becomes a 撤销 milestone of
that date. docs/summaries.md says so for readers of the summaries.
"""

from django.db import migrations
from django.utils import timezone

NOTE = "由原是/否标记转换（日期取成立日期）"
FLAGS = (
    ("standardised", "standardised"),
    ("has_congress", "congress_system"),
    ("has_affairs_openness", "openness"),
    ("has_women_committee", "women_committee"),
)


def forwards(apps, schema_editor):
    Union = apps.get_model("members", "GrassrootsUnion")
    Milestone = apps.get_model("members", "UnionMilestone")
    History = apps.get_model("members", "HistoricalUnionMilestone")
    now = timezone.now()
    batch = []

    def flush():
        created = Milestone.objects.bulk_create(batch, batch_size=1000)
        fields = [f.attname for f in Milestone._meta.concrete_fields]
        History.objects.bulk_create(
            [
                History(
                    **{name: getattr(m, name) for name in fields},
                    history_date=now,
                    history_type="+",
                    history_change_reason=NOTE,
                )
                for m in created
            ],
            batch_size=1000,
        )
        batch.clear()

    for union in Union.objects.order_by("pk").iterator(chunk_size=2000):
        day = union.founded_on

        def made(kind, **fields):
            return Milestone(
                township_id=union.township_id,
                union_id=union.pk,
                kind=kind,
                happened_on=fields.pop("happened_on", day),
                note=NOTE,
                created_at=now,
                updated_at=now,
                **fields,
            )

        for flag, kind in FLAGS:
            if getattr(union, flag):
                batch.append(made(kind))
        if union.star and union.star != "none":
            batch.append(made("star", level=union.star))
        if union.chair_name or union.chair_is_migrant:
            batch.append(
                made(
                    "election", chair_name=union.chair_name, chair_is_migrant=union.chair_is_migrant
                )
            )
        if union.dissolved_on:
            batch.append(made("dissolved", happened_on=union.dissolved_on))
        if len(batch) >= 5000:
            flush()
    if batch:
        flush()


def backwards(apps, schema_editor):
    apps.get_model("members", "UnionMilestone").objects.filter(note=NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0009_union_milestones_dues_remittances")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
