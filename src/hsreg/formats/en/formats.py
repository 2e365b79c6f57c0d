"""English dates as ISO dates, as the guideline engine writes them (Norwegian keeps dd.mm.yyyy)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "Y-m-d"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
