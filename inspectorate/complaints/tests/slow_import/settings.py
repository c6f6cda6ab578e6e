"""The project's settings plus the slowing app (test-only; see the package docstring)."""

from inspectorate.settings import *  # noqa: F403
from inspectorate.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "inspectorate.complaints.tests.slow_import.apps.SlowImportConfig"]
