"""The intervention form (surgery, medical treatment or both, or none and why) and what the
other forms use to link one of the patient's interventions: its label, the patient's forms to
choose from, the list of interventions to follow up and which of them are surgical. The answers'
parent and child fields are in treatments.intervention_answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hsreg.formats import show_date
from hsreg.patients.models import Patient
from hsreg.patients.selectors import current
from hsreg.records.forms import RecordForm, When, group, only_when
from hsreg.records.models import Record, Status

from .intervention_answers import (
    DRUG_ANSWERS,
    OTHER_FIELDS,
    OTHER_TEXTS,
    PARENT_FIELDS,
    SITE_ANSWERS,
    clean_answers,
)
from .models import MEDICAL_TYPES, SURGICAL_TYPES, Intervention, SurgerySite


def intervention_label(intervention: Intervention) -> str:
    kind = intervention.get_type_display() if intervention.type else gettext("type not given")
    return f"#{intervention.pk} {show_date(intervention.date)}: {kind}"


def patient_choices(model: type[Record], *, patient: Patient, keep: Any = None) -> QuerySet[Any]:
    """The patient's current forms of ``model`` to link to, plus the one already linked (which
    may since have been corrected)."""
    found = current(model, patient=patient)
    if keep is not None:
        found = found | model.objects.filter(pk=keep, patient=patient)
    return found.order_by("-date", "-id")


def limit_interventions(form: RecordForm, name: str = "intervention") -> None:
    form_field = form.fields[name]
    form_field.queryset = patient_choices(  # type: ignore[attr-defined]
        Intervention, patient=form.patient, keep=getattr(form.instance, f"{name}_id", None)
    )
    form_field.label_from_instance = intervention_label  # type: ignore[attr-defined]


def surgical_intervention_ids(form: RecordForm) -> list[str]:
    return [
        str(i.pk)
        for i in form.fields["intervention"].queryset  # type: ignore[attr-defined]
        if i.type in SURGICAL_TYPES
    ]


class InterventionForm(RecordForm):
    surgery_sites = forms.MultipleChoiceField(
        label=_("Sites operated"),
        choices=SurgerySite.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    EXTRA_FINISH_REQUIRED = ("no_treatment_reason",)
    LAYOUT = (
        group(
            _("Intervention"),
            "date",
            "type",
            only_when("type", "4", "5", items=["no_treatment_reason"]),
        ),
        group(
            _("Surgery"),
            group(
                _("Type of surgery"),
                *Intervention.SURGERY_KINDS,
            ),
            group(_("Anaesthesia"), "anaesthesia_local", "anaesthesia_general"),
            "operation_time",
            "operation_diameter",
            group(_("Bleeding control"), "bleeding_diathermy", "bleeding_ligation"),
            group(
                _("Sites operated"),
                *SITE_ANSWERS,
                "surgery_sites",
                note=_("Answer each site; tick the sides operated (a side ticked is a yes)."),
            ),
            when=When("type", ("1", "3")),
        ),
        group(
            _("Medical treatment"),
            *(
                item
                for answer, box in DRUG_ANSWERS.items()
                for item in (
                    answer,
                    only_when(
                        answer,
                        "1",
                        items=[box, only_when(box, "on", items=[OTHER_TEXTS[box]])],
                    ),
                )
            ),
            note=_(
                "Each drug started is registered as a drug course. After the intervention is "
                "finished, the page offers a drug course linked to it. Tick Other only for a "
                "drug the list of drug courses lacks, and name it."
            ),
            when=When("type", ("2", "3")),
        ),
        group(
            _("Pain relief and local treatment"),
            group(
                _("Analgesics"),
                "analgesic_given",
                "analgesic_nsaid",
                "analgesic_paracetamol",
                "analgesic_opioid",
                "analgesic_other",
                only_when("analgesic_other", "on", items=["analgesic_other_text"]),
            ),
            group(
                _("Local and intralesional treatment"),
                "local_given",
                "local_triamcinolone",
                "local_clindamycin",
                "local_resorcinol",
                "local_azelaic_acid",
            ),
            when=When("type", ("1", "2", "3")),
        ),
        group(_("Comment"), "comment"),
    )

    class Meta:
        model = Intervention
        fields = [
            "date",
            "type",
            "no_treatment_reason",
            "surgery_excision_suture",
            "surgery_excision_granulation",
            "surgery_excision_graft",
            "surgery_laser",
            "surgery_deroofing",
            "surgery_other",
            "anaesthesia_local",
            "anaesthesia_general",
            "operation_time",
            "operation_diameter",
            "bleeding_diathermy",
            "bleeding_ligation",
            "surgery_sites",
            "analgesic_nsaid",
            "analgesic_paracetamol",
            "analgesic_opioid",
            "local_triamcinolone",
            "local_clindamycin",
            "local_resorcinol",
            "local_azelaic_acid",
            *PARENT_FIELDS,
            *OTHER_FIELDS,
            "comment",
        ]

    def clean_record(self, values: dict[str, Any]) -> None:
        clean_answers(self, values)

    def next_steps(self, record: Record) -> list[tuple[str, str]]:
        """After a medical intervention is finished: register the drug started (linked)."""
        assert isinstance(record, Intervention)  # noqa: S101
        if record.status != Status.FINISHED or record.type not in MEDICAL_TYPES:
            return []
        url = reverse(
            "records:new", kwargs={"patient_id": record.patient_id, "kind": "drug-course"}
        )
        query = f"?intervention={record.pk}&date={record.date.isoformat()}"
        return [(gettext("Add a drug course for this intervention"), url + query)]
