"""Norwegian dates as dd.mm.yyyy and 24-hour times, the only date format of the Norwegian pages
(issue 12: Django's long DATE_FORMAT, "6. desember 2026", is not used, so a date reads the same
in a table, a sentence of the guideline panel and a form). What is not set here (the input
formats, with ISO first for the browsers' date fields, and the numbers) is Django's own for nb."""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
