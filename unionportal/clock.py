"""Today and now for the whole portal, in one place.

Today is the date in the project's time zone (settings.TIME_ZONE, Asia/Shanghai), whatever the
server's own clock zone: `date.today()` on a UTC server is still yesterday until 08:00 Beijing
time, so a visit made this morning would be "in the future". Now is an aware datetime (UTC).
Tests that need a fixed day patch these two functions.
"""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    """Today's date in the project's time zone."""
    return timezone.localdate()


def now() -> datetime.datetime:
    """The current moment, time-zone aware."""
    return timezone.now()
