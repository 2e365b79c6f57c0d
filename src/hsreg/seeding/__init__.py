"""Synthetic registry data for the demo, the tests and the load benchmark.

units      the ~20 demo units across the four health regions (RESH ids invented)
names      Norwegian first and last names
journey    one patient's forms built in date order, scores from assessments.scoring
stories    what happens to a patient: referral, first line, eligible, week 12, surgery, ...
generator  deterministic patients by seed (synthetic national id numbers, month + 80)
cases      the case document and due items of a generated patient, as the registry computes
writer     bulk insert (bulk_create on SQLite; COPY and parallel processes on PostgreSQL)
demo       the demo's data directory, login and user
"""
