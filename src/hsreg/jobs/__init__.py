"""hsreg's background jobs, on django-tasks with its database backend (django-tasks-db).

A job is a row of the registry's own database (``django_tasks_database_dbtaskresult``), queued
by the web process and run by ``hsreg worker`` (the library's ``db_worker``): no other server.
Each job is idempotent, so running it again is safe, and each is retried (``retry``):

- ``nightly``: every patient's due items recomputed from the engine's dates of that day, the
  old submission tokens and annual-report files deleted; it queues its own next run at 02:00
  (``schedule``);
- the annual report PDF (``hsreg.reports.annual_runs``), queued from the reports' page;
- the registry's mails (``mails``): application decisions and one-time passwords.
"""
