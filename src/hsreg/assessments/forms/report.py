"""The patient's report: smoking, work, pain and the DLQI (MO-1a), or for a patient under 16 the
children's DLQI (CDLQI, XB-6) with its own labels, answers and item 7, and at a 3- or 6-month
control the follow-up; with the live DLQI of the answers typed so far."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hsreg.guideline import scores
from hsreg.records.forms import RecordForm, When, group, only_when
from hsreg.records.layout import Group
from hsreg.records.models import Record
from hsreg.treatments.intervention_form import limit_interventions, surgical_intervention_ids

from ..control import FOLLOW_GATE, GATE, ControlPossible, control_questions
from ..models import CDLQI_7, COMPLICATIONS, PAIN_FIELDS, PatientReport
from ..scoring import (
    band_label,
    cdlqi_item_scores,
    dlqi_item_scores,
    instrument_name,
    report_band_label,
    report_dlqi_total,
)
from .common import age_on, branches, check_control_date, lenient_values

#: XB-6: the CDLQI's answers to items 1-6 and 8-10 (no "not relevant")
CDLQI_ANSWER = [(code, label) for code, label in CDLQI_7 if code != 6]
PREVENTED_SCHOOL = 6
#: XB-6: the CDLQI's items as the clinic's form labels them (stored in dlqi_1 ... dlqi_10)
CDLQI_LABELS = {
    "dlqi_1": _('1. Itchy, "scratchy", sore or painful skin'),
    "dlqi_2": _("2. Embarrassed, self-conscious, upset or sad because of the skin"),
    "dlqi_3": _("3. Skin affected friendships"),
    "dlqi_4": _("4. Changed or wore different or special clothes or shoes because of the skin"),
    "dlqi_5": _("5. Skin trouble affected going out, playing or doing hobbies"),
    "dlqi_6": _("6. Avoided swimming or other sports because of the skin"),
    "dlqi_8": _("8. Trouble with being called names, teased, bullied, asked questions or avoided"),
    "dlqi_9": _("9. Sleep affected by the skin problem"),
    "dlqi_10": _("10. Treatment for the skin has been a problem"),
}
DLQI_ONLY = ("dlqi_7", "dlqi_7_problems")
CDLQI_ONLY = ("cdlqi_7_period", "cdlqi_7")


class PatientReportForm(ControlPossible, RecordForm):
    UNKNOWN_FOR = PAIN_FIELDS
    EXTRA_FINISH_REQUIRED = ("intervention",)
    CONTROL_TABLES = {"preintervention": "patientcontrol"}
    CONTROL_NAMES = {"PREINTERVENTION_DATE": "CONTROL_DATE", "WORK": "WORKSTATUS"}
    LAYOUT = (
        group(
            _("Occasion"),
            "date",
            "occasion",
            only_when("occasion", "3m", "6m", items=["intervention", *control_questions()]),
        ),
        group(_("Smoking and work"), "smoking", "work", when=GATE),
        group(
            _("Boils and pain"),
            "boils_last_4_weeks",
            "worst_boil_pain",
            group(
                _("Pain (0 = none, 10 = worst)"),
                "vas_total",
                "vas_axilla_right",
                "vas_axilla_left",
                "vas_groin_right",
                "vas_groin_left",
                "vas_other",
            ),
            when=GATE,
        ),
        group(
            _("Dermatology Life Quality Index (DLQI)"),
            "dlqi_1",
            "dlqi_2",
            "dlqi_3",
            "dlqi_4",
            "dlqi_5",
            "dlqi_6",
            "dlqi_7",
            only_when("dlqi_7", "0", items=["dlqi_7_problems"]),
            "dlqi_8",
            "dlqi_9",
            "dlqi_10",
            note=_("About the last week. Scored by MO-1a: not relevant counts 0."),
            when=GATE,
        ),
        group(
            _("Follow-up"),
            group(
                "",
                "satisfaction",
                "would_repeat",
                "would_recommend",
                "still_on_treatment",
                only_when("still_on_treatment", "1", items=["dose_change"]),
                group(
                    "",
                    "stop_reason",
                    only_when("stop_reason", "2", items=["stop_adverse_effect"]),
                    when=When("still_on_treatment", ("0",)),
                ),
                # HISREG asks them at every control, 3 and 6 months (klokebok: Pasient 3 mnd,
                # Pasient 6 mnd), whatever the intervention was
                group(
                    _("Complications or adverse effects after the treatment"),
                    *COMPLICATIONS,
                    only_when("other_complications", "1", items=["other_complications_text"]),
                ),
                when=FOLLOW_GATE,
            ),
            when=When("occasion", ("3m", "6m")),
        ),
        group(_("Comment"), "comment"),
    )

    class Meta:
        model = PatientReport
        exclude = [
            "patient",
            "unit",
            "status",
            "created_by",
            "finished_at",
            "replaces",
            "correction_reason",
            "dlqi_total",
            # set by the form (XB-6: by the patient's age) or by the patient's submission
            "dlqi_instrument",
            "reported_by",
            "reported_channel",
            "reported_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._surgical: list[str] | None = None
        limit_interventions(self)
        self.fields["intervention"].help_text = _(
            "A 3- or 6-month control follows up one of the patient's finished interventions."
        )
        self.instrument = self._instrument()
        if self.instrument == "cdlqi":
            self._use_cdlqi()
        else:
            for name in CDLQI_ONLY:
                del self.fields[name]

    def _instrument(self) -> str:
        """XB-6: a stored form keeps its instrument; a new one is the CDLQI for a patient
        under 16 today."""
        if self.instance.pk:
            return str(self.instance.dlqi_instrument)
        age = max(0, age_on(self.patient.birth_date, timezone.localdate()))
        return scores.quality_of_life_instrument(age)

    def _use_cdlqi(self) -> None:
        """The CDLQI's group (XB-6) instead of the DLQI's: its labels and answers, item 7 as
        school time or holiday and then how much."""
        self.LAYOUT = CDLQI_LAYOUT  # type: ignore[misc,assignment]
        self._branch, self._order = branches(CDLQI_LAYOUT)  # type: ignore[misc]
        for name in DLQI_ONLY:
            del self.fields[name]
        for name, label in CDLQI_LABELS.items():
            self.fields[name].label = label
            self.fields[name].choices = [("", "—"), *CDLQI_ANSWER]  # type: ignore[attr-defined]
        self.fields["cdlqi_7"].help_text = _(
            '"Prevented school" is an answer for school time only; it scores as very much.'
        )

    def surgical_interventions(self) -> list[str]:
        if self._surgical is None:
            self._surgical = surgical_intervention_ids(self)
        return self._surgical

    def clean_record(self, values: dict[str, Any]) -> None:
        check_control_date(self, values)
        self.clean_control(values)
        if (
            self.instrument == "cdlqi"
            and values.get("cdlqi_7") == PREVENTED_SCHOOL
            and values.get("cdlqi_7_period") != 1
            and "cdlqi_7" not in self.errors
        ):
            self.add_error(
                "cdlqi_7", gettext('"Prevented school" is an answer for school time only.')
            )

    def before_save(self, record: Record) -> None:
        assert isinstance(record, PatientReport)  # noqa: S101
        record.dlqi_instrument = self.instrument
        record.dlqi_total = report_dlqi_total(record)

    def instrument_name(self) -> str:
        return instrument_name(self.instrument)

    def reported_channel_label(self) -> str:
        """How the patient sent the report (SMS link, e-mail link, clinic tablet, ...)."""
        from hsreg.questionnaires.models import Channel  # noqa: PLC0415 - app above this

        channel = self.instance.reported_channel
        return str(Channel(channel).label) if channel in Channel.values else channel

    def instrument_rule(self) -> str:
        return "XB-6" if self.instrument == "cdlqi" else "MO-1a"

    def stored_band(self) -> str:
        return report_band_label(self.instance)

    def live_context(self) -> dict[str, Any]:
        """The DLQI (MO-1a) or, under 16, the CDLQI (XB-6) of the answers typed so far."""
        values, ignored = lenient_values(self, lambda name: name.startswith(("dlqi_", "cdlqi_")))
        answers = [values.get(f"dlqi_{n}") for n in range(1, 11)]
        if self.instrument == "cdlqi":
            items = cdlqi_item_scores(answers, values.get("cdlqi_7"))
            total = scores.cdlqi_total(items)
        else:
            problems = values.get("dlqi_7_problems") if values.get("dlqi_7") == 0 else None
            items = dlqi_item_scores(answers, problems)
            total = scores.dlqi_total(items)
        band, label = band_label(self.instrument, total)
        return {
            "kind": "patient",
            "instrument": instrument_name(self.instrument),
            "instrument_rule": self.instrument_rule(),
            "dlqi": total,
            "dlqi_band": band,
            "dlqi_band_label": label,
            "dlqi_unanswered": sum(1 for i in items if i is None),
            "ignored": ignored,
        }


def _cdlqi_group() -> Group:
    return group(
        _("Children's Dermatology Life Quality Index (CDLQI)"),
        "dlqi_1",
        "dlqi_2",
        "dlqi_3",
        "dlqi_4",
        "dlqi_5",
        "dlqi_6",
        "cdlqi_7_period",
        only_when("cdlqi_7_period", "1", "2", items=["cdlqi_7"]),
        "dlqi_8",
        "dlqi_9",
        "dlqi_10",
        note=_("About the last week. The patient is under 16: the children's DLQI (XB-6)."),
        when=GATE,
    )


#: PatientReportForm's layout for a patient under 16 (XB-6): the CDLQI's group in the DLQI's
CDLQI_LAYOUT: tuple[Group, ...] = tuple(
    _cdlqi_group() if "dlqi_1" in g.items else g for g in PatientReportForm.LAYOUT
)
