"""Demo records for an empty database (`python manage.py seed_demo`).

`seed_demo()` fills one county federation with townships, their grassroots unions, employers,
members, collective contracts, dues, welfare visits, cases and events, plus one sign-in user for
every role. Two sizes: `small` (three townships, about a year and a half of every record kind, for
trying the portal) and `county` (thirty townships and three years: the benchmark size of the
performance issue).

Everything is drawn from `random.Random` seeded per township and record kind, and every date lies
in the scale's fixed window (no `date.today()`), so two runs with the same seed write the same
records (only the audit stamps `created_at`/`updated_at` differ). Rows are built in Python with
their primary keys already assigned and written in bulk inside one transaction: no per-row query
and no per-row `full_clean`, which keeps the county size (300,000 members) to about a minute on
SQLite. The generators keep to the models' database constraints and to the records workbook's
rules (spec/workbook.md) by construction; the tests check the small size with `full_clean`.
"""
