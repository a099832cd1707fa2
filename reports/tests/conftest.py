from reports.tests.handmade import data  # noqa: F401
