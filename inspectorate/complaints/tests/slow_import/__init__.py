"""Test-only: a settings module that slows the calls import down, for killing a real worker in the middle of it.

`manage.py db_worker` run with ``DJANGO_SETTINGS_MODULE=inspectorate.complaints.tests.slow_import.settings``
is the ordinary worker with one more installed app, whose `ready()` wraps `complaints.actions.intake.submit_complaint`:
after each row it writes the number of rows done to the file named by ``SLOW_IMPORT_MARKER`` and sleeps
``SLOW_IMPORT_SECONDS``. Nothing in the application imports this package; only `test_worker_killed.py` names it.
"""
