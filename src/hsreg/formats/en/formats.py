"""English dates as ISO dates, as the guideline engine writes them (hsreg.guideline.text), and
24-hour times: one format everywhere in English, whether a template, a form or Python text
shows the date (issue 12; Django's en default showed "12/06/2026 12:16 a.m."). Norwegian has
its own module (formats/nb). What is not set here is Django's own for en."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
