"""The selections of the distributions and averages pages, as the registry's Shiny app offers
them (issue 16, point 3): the intervention's date from and to, sex, age at the intervention from
and to, the type of intervention, and the reader's own unit against the rest of the country.

HISREG: ``R/hisregUtvalg.R`` (``hisregUtvalg``: ``datoFra``/``datoTil`` on HovedDato, both
inclusive; ``minald``/``maxald`` on PasientAlder, both inclusive; ``erMann`` 0/1, 99 both;
``forlop1`` 1-3, 99 all) and the Shiny modules ``inst/shinyApps/hisreg/R/modFordelinger.R`` and
``modGjennomsnitt.R`` (``dateRan``, ``kjoSle``, ``aldSli`` 0-130, ``typInt``, ``enhSel``: 0 the
whole country, 1 own unit against the rest of the country, 2 own unit). The pages already choose
the whole country or the own unit (``?level=``); ``compare`` is R's enhetsUtvalg 1.

Every figure function of the two pages takes ``filters`` and narrows the querysets it starts
from with ``Filters.narrow`` before it counts, as R filters RegData before it tabulates: a
patient's "first episode of the year" is the first among the chosen episodes. The pages are
per report year, so the dates narrow the report's periods: the calendar year, and for the
figures of the controls the follow-up period from 1 July of the year before (periods, D4). R's
period may span any years.

Small counts under filters stay protected (reports.distributions.compare): a narrow selection
(a day, one sex, one age) makes small counts, so the whole country's and the rest of the
country's counts of 1-4 are hidden as a unit's are whenever a filter is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThanOrEqual
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsreg.patients.models import Sex
from hsreg.treatments.models import InterventionType

from .periods import followup_period

#: R's age slider (modFordelinger.R ``aldSli``: 0 to 130)
AGE_LOWEST, AGE_HIGHEST = 0, 130
#: R's ``typInt`` (dataOgVar.R): the treated types, or all
FILTER_TYPES = (InterventionType.SURGICAL, InterventionType.MEDICAL, InterventionType.BOTH)
#: the query-string names of the filters, in the form's order
FIELDS = ("date_from", "date_to", "sex", "age_from", "age_to", "type", "compare")

Q_T = TypeVar("Q_T", bound=QuerySet[Any])


def _age(prefix: str) -> Any:
    """The patient's age in whole years on the intervention's date (as reports.episodes'
    ``age``), for a queryset whose intervention is reached through ``prefix``."""
    on, birth = f"{prefix}date", f"{prefix}patient__birth_date"

    def day_of_year(column: str) -> Any:
        return ExtractMonth(column) * 100 + ExtractDay(column)

    before_birthday = Case(
        When(GreaterThan(day_of_year(birth), day_of_year(on)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExtractYear(on) - ExtractYear(birth) - before_birthday


@dataclass(frozen=True, slots=True)
class Filters:
    """A selection of episodes (interventions); None (False) is no selection on that field.

    ``without_unit`` is not a reader's choice: it is set by ``rest_of`` to count "the rest of
    the country" (every unit but the reader's) with the same filters."""

    start: date | None = None
    end: date | None = None
    sex: str | None = None  # patients.models.Sex
    age_min: int | None = None
    age_max: int | None = None
    type: int | None = None  # treatments.models.InterventionType, one of FILTER_TYPES
    compare: bool = False
    without_unit: int | None = None

    @property
    def active(self) -> bool:
        """Whether a filter narrows the episodes (the comparison alone does not)."""
        return any(
            v is not None for v in (self.start, self.end, self.sex, self.age_min, self.age_max)
        ) or (self.type is not None)

    def q(self, prefix: str = "") -> Q:
        """The selection as a condition on interventions reached through ``prefix`` (""
        for Intervention rows and reports.episodes.episode_rows, "intervention__" for the
        forms linked to an intervention)."""
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{prefix}date__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{prefix}date__lte": self.end})
        if self.sex is not None:
            q &= Q(**{f"{prefix}patient__sex": self.sex})
        if self.type is not None:
            q &= Q(**{f"{prefix}type": self.type})
        if self.age_min is not None:
            q &= Q(GreaterThanOrEqual(_age(prefix), self.age_min))
        if self.age_max is not None:
            q &= Q(LessThanOrEqual(_age(prefix), self.age_max))
        if self.without_unit is not None:
            q &= ~Q(**{f"{prefix}unit_id": self.without_unit})
        return q

    def narrow(self, qs: Q_T, prefix: str = "") -> Q_T:
        """``qs`` with only the chosen episodes (``q``); ``qs`` itself when nothing is
        chosen, so an unfiltered page runs exactly the queries it ran before."""
        if self == NO_FILTERS or (not self.active and self.without_unit is None):
            return qs
        return qs.filter(self.q(prefix))

    def rest_of(self, resh_id: int) -> Filters:
        """The same selection over every unit but ``resh_id``: the rest of the country."""
        return replace(self, compare=False, without_unit=resh_id)

    def words(self) -> list[str]:
        """The selection in words, for the page above its figures and each chart's caption
        (R: hisregUtvalg's ``utvalgTxt``)."""
        said: list[str] = []
        if self.start is not None or self.end is not None:
            start = date_format(self.start, "SHORT_DATE_FORMAT") if self.start else "…"
            end = date_format(self.end, "SHORT_DATE_FORMAT") if self.end else "…"
            said.append(_("Intervention date %(start)s–%(end)s") % {"start": start, "end": end})
        if self.sex is not None:
            said.append(_("Sex: %(sex)s") % {"sex": Sex(self.sex).label})
        ages = {"low": self.age_min, "high": self.age_max}
        if self.age_min is not None and self.age_max is not None:
            said.append(_("Age %(low)d–%(high)d years") % ages)
        elif self.age_min is not None:
            said.append(_("Age %(low)d years or older") % ages)
        elif self.age_max is not None:
            said.append(_("Age %(high)d years or younger") % ages)
        if self.type is not None:
            said.append(_("Intervention: %(type)s") % {"type": InterventionType(self.type).label})
        if self.compare:
            said.append(_("Own unit against the rest of the country"))
        return said

    def query(self) -> dict[str, str]:
        """The chosen filters as query-string parameters (the chart files' addresses)."""
        values: dict[str, Any] = {
            "date_from": self.start.isoformat() if self.start else None,
            "date_to": self.end.isoformat() if self.end else None,
            "sex": self.sex,
            "age_from": self.age_min,
            "age_to": self.age_max,
            "type": self.type,
            "compare": "1" if self.compare else None,
        }
        return {k: str(v) for k, v in values.items() if v is not None}

    def key(self) -> str:
        """The selection as text for cache keys (the charts' audience): one text per
        selection, empty for none."""
        shown = "&".join(f"{k}={v}" for k, v in self.query().items())
        return shown + (f"&without={self.without_unit}" if self.without_unit is not None else "")


NO_FILTERS = Filters()


def date_bounds(year: int) -> tuple[date, date]:
    """The dates a filter of report ``year`` can choose: from the start of the follow-up
    period of the controls' figures (1 July of the year before, periods.followup_period) to
    the end of the year. A date outside both periods would choose nothing on every figure."""
    return followup_period(year, date(year, 12, 31))[0], date(year, 12, 31)


class FilterForm(forms.Form):
    """The filters as the pages ask for them (query string, GET): every field optional, each
    error names its field. The dates must lie in the report's periods (``date_bounds``)."""

    date_from = forms.DateField(
        label=gettext_lazy("Intervention date from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Intervention date to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"),
        required=False,
        choices=[("", gettext_lazy("Both sexes")), *Sex.choices],
    )
    age_from = forms.IntegerField(
        label=gettext_lazy("Age from (years)"),
        required=False,
        min_value=AGE_LOWEST,
        max_value=AGE_HIGHEST,
    )
    age_to = forms.IntegerField(
        label=gettext_lazy("Age to (years)"),
        required=False,
        min_value=AGE_LOWEST,
        max_value=AGE_HIGHEST,
    )
    type = forms.TypedChoiceField(
        label=gettext_lazy("Type of intervention"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("All types")), *((t.value, t.label) for t in FILTER_TYPES)],
    )
    compare = forms.BooleanField(
        label=gettext_lazy("Own unit against the rest of the country"),
        required=False,
    )

    def __init__(
        self, data: Mapping[str, Any] | None, *, year: int, can_compare: bool, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.year = year
        self.can_compare = can_compare
        for name in ("age_from", "age_to"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        first, last = date_bounds(year)
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs.update(
                {"min": first.isoformat(), "max": last.isoformat()}
            )

    def _in_year(self, name: str) -> date | None:
        value: date | None = self.cleaned_data.get(name)
        first, last = date_bounds(self.year)
        if value is not None and not first <= value <= last:
            raise forms.ValidationError(
                _("Choose a date from %(first)s to %(last)s.")
                % {
                    "first": date_format(first, "SHORT_DATE_FORMAT"),
                    "last": date_format(last, "SHORT_DATE_FORMAT"),
                }
            )
        return value

    def clean_compare(self) -> bool:
        chosen = bool(self.cleaned_data.get("compare"))
        if chosen and not self.can_compare:
            raise forms.ValidationError(_("You have no unit of your own to compare."))
        return chosen

    def clean_date_from(self) -> date | None:
        return self._in_year("date_from")

    def clean_date_to(self) -> date | None:
        return self._in_year("date_to")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start is not None and end is not None and start > end:
            self.add_error("date_to", _("The end date comes before the start date."))
        low, high = cleaned.get("age_from"), cleaned.get("age_to")
        if low is not None and high is not None and low > high:
            self.add_error("age_to", _("The highest age is below the lowest."))
        return cleaned

    def filters(self) -> Filters:
        """The valid form's selection."""
        c = self.cleaned_data
        return Filters(
            start=c.get("date_from"),
            end=c.get("date_to"),
            sex=c.get("sex") or None,
            age_min=c.get("age_from"),
            age_max=c.get("age_to"),
            type=c.get("type"),
            compare=bool(c.get("compare")),
        )


def parse_filters(
    query: Mapping[str, Any], *, year: int, can_compare: bool
) -> tuple[Filters | None, FilterForm]:
    """The filters of ``query`` (a request's GET) for the report ``year``, with the bound
    form for the page: (None, the form with its errors) when a value cannot be used, so the
    page says which and why instead of showing figures the reader did not ask for. A reader
    without a unit has no "own unit" to compare (the field is not offered)."""
    data = {name: query.get(name, "") for name in FIELDS if name in query}
    form = FilterForm(data, year=year, can_compare=can_compare)
    if not form.is_valid():
        return None, form
    return form.filters(), form
