"""Marks this process as the test run (TESTING=1) before pytest-django reads the settings.

Loaded by pyproject's pytest options (`-p unionportal.pytest_plugin`), which pytest imports before
any conftest and before pytest-django imports unionportal/settings.py. The test settings say so
themselves: settings.py never guesses from the modules loaded, so a production process that
happens to import pytest still refuses the development keys.
"""

import os

os.environ["TESTING"] = "1"
