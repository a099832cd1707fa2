import os

from django.core.wsgi import get_wsgi_application

from unionportal import gctune

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
application = get_wsgi_application()
# A server process: the collector set for one that runs all day (unionportal/gctune.py).
gctune.tune()
