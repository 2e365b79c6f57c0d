"""The forms of the coverage upload and the exports: what a user may choose, checked before
anything is read or written. Each error names its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .indicators import FIRST_YEAR, default_year

#: the largest NPR file accepted; a year of every unit's counts is a few kilobytes
MAX_UPLOAD_BYTES = 1024 * 1024


def latest_complete_year() -> int:
    """The default report year (reports.indicators.default_year) as of today."""
    return default_year(timezone.localdate())


def _not_after_this_year(year: int) -> int:
    this_year = timezone.localdate().year
    if year > this_year:
        raise forms.ValidationError(
            _("Choose a year no later than %(year)s.") % {"year": this_year}
        )
    return year


class NprUploadForm(forms.Form):
    """The national patient register's counts as a CSV file (reports.services.upload_npr_counts
    reads its rows)."""

    file = forms.FileField(
        label=_("NPR counts (CSV file)"),
        help_text=_(
            "One line per unit and year: resh_id;year;count, with that header line. "
            "Separated by semicolons or commas, UTF-8. At most 1 MB."
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 1 MB. Upload the counts of fewer years at a time.")
            )
        return upload


class YearForm(forms.Form):
    """The year of a report: it and the two before are shown."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR)

    def clean_year(self) -> int:
        return _not_after_this_year(self.cleaned_data["year"])

    @classmethod
    def from_query(cls, query: Any) -> YearForm:
        """Bound to ``?year=``, or to the latest complete year when the query has none."""
        return cls({"year": query.get("year") or latest_complete_year()})


class ResearchForm(forms.Form):
    """The research extract's years and file format."""

    FORMATS = (("csv", _("CSV (semicolon-separated, UTF-8)")), ("xlsx", _("Excel (XLSX)")))

    first_year = forms.IntegerField(label=_("From year"), min_value=FIRST_YEAR)
    last_year = forms.IntegerField(label=_("To year"), min_value=FIRST_YEAR)
    fmt = forms.ChoiceField(label=_("File format"), choices=FORMATS, initial="csv")

    def clean_first_year(self) -> int:
        return _not_after_this_year(self.cleaned_data["first_year"])

    def clean_last_year(self) -> int:
        return _not_after_this_year(self.cleaned_data["last_year"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None and first > last:
            self.add_error("last_year", _("The last year must not be before the first year."))
        return data

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """The last three complete years, as CSV."""
        last = latest_complete_year()
        return {"first_year": last - 2, "last_year": last, "fmt": "csv"}
