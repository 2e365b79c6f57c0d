"""What the reports need beyond the registry's own forms: the national patient register's count
of HS patients per unit and year, the denominator of coverage (dekningsgrad)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class _NprCountBase(models.Model):
    """A count of the national patient register (NPR) for a year, as uploaded by the registry
    coordinator: what a unit's and a health trust's counts share."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    patients = models.PositiveIntegerField(_("HS patients in NPR"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        abstract = True


class NprCount(_NprCountBase):
    """How many patients with HS (ICD-10 L73.2) the national patient register (NPR) saw at a
    unit in a year, as uploaded by the registry coordinator. Coverage is the registry's own
    count of patients divided by this (reports.coverage)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="npr_counts")

    class Meta:
        ordering = ["year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_npr_count_per_unit_year")
        ]
        verbose_name = _("NPR count")
        verbose_name_plural = _("NPR counts")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.patients}"


class NprTrustCount(_NprCountBase):
    """How many patients with HS (ICD-10 L73.2) the national patient register saw in a health
    trust (helseforetak) in a year: the registry publishes coverage per trust (issue 16, D5),
    and a trust's count is not the sum of its units' (a patient seen at two of its units is
    one patient). A trust is named as the units name it (units.Unit.health_trust)."""

    health_trust = models.CharField(_("health trust"), max_length=200)

    class Meta:
        ordering = ["year", "health_trust"]
        constraints = [
            models.UniqueConstraint(
                fields=["health_trust", "year"], name="one_npr_count_per_trust_year"
            )
        ]
        verbose_name = _("NPR count of a health trust")
        verbose_name_plural = _("NPR counts of health trusts")

    def __str__(self) -> str:
        return f"{self.health_trust} {self.year}: {self.patients}"


class Episode(models.Model):
    """What the reports read of an episode (HISREG's forløp: a finished intervention) from the
    patient's other forms: the baseline before it, the control that judges it, the drug courses
    it starts and the medical history. reports.episodes computes these facts and keeps them
    here, refreshed whenever one of the patient's forms is finished or corrected
    (records.services.on_change) and by the seeding, so that a national report is one aggregate
    query over stored columns and not two dozen sub-selects per episode, as scores are stored
    when a form is saved. The intervention's own fields (date, unit, type) are read from the
    intervention itself; VAS values are whole tenths.

    ``complete`` (issue 16, D1): the episode has its own finished before-treatment forms (the
    doctor's and the patient's) and the patient a finished medical history, as HISREG's
    loaders require (R/lastShinyHisreg.R: inner merges of the forms, all STATUS == 1); the
    quality indicators count only complete episodes. The doctor's control dates and the last
    days of the indicators' windows decide the control indicators (D2); ``first_complete``
    and the medical history's answers the referral indicator (D7)."""

    intervention = models.OneToOneField(
        "treatments.Intervention",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="episode",
    )
    biologic = models.BooleanField(default=False)
    prior_antibiotic = models.PositiveSmallIntegerField(null=True)
    base_ihs4 = models.PositiveSmallIntegerField(null=True)
    base_hurley = models.PositiveSmallIntegerField(null=True)
    base_an = models.PositiveSmallIntegerField(null=True)
    base_abscesses = models.PositiveSmallIntegerField(null=True)
    base_tunnels = models.PositiveSmallIntegerField(null=True)
    base_bmi = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    base_dlqi = models.PositiveSmallIntegerField(null=True)
    base_vas = models.PositiveSmallIntegerField(null=True)
    base_smoking = models.PositiveSmallIntegerField(null=True)
    ctl_ihs4 = models.PositiveSmallIntegerField(null=True)
    ctl_hurley = models.PositiveSmallIntegerField(null=True)
    ctl_an = models.PositiveSmallIntegerField(null=True)
    ctl_abscesses = models.PositiveSmallIntegerField(null=True)
    ctl_tunnels = models.PositiveSmallIntegerField(null=True)
    ctl_dlqi = models.PositiveSmallIntegerField(null=True)
    ctl_vas = models.PositiveSmallIntegerField(null=True)
    ctl_satisfaction = models.PositiveSmallIntegerField(null=True)
    complications_answered = models.BooleanField(default=False)
    complication = models.BooleanField(default=False)
    followup_3m_done = models.BooleanField(default=False)
    followup_6m_done = models.BooleanField(default=False)
    complete = models.BooleanField(default=False)
    first_complete = models.BooleanField(default=False)
    doctor_control_3m = models.DateField(null=True)
    doctor_control_6m = models.DateField(null=True)
    window_3m_closes = models.DateField(null=True)
    window_6m_closes = models.DateField(null=True)
    months_to_specialist = models.PositiveSmallIntegerField(null=True)
    age_first_gp = models.PositiveSmallIntegerField(null=True)
    age_diagnosis = models.PositiveSmallIntegerField(null=True)

    class Meta:
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")


class AnnualReportRun(models.Model):
    """One making of the annual report PDF by the worker (reports.annual_runs): queued from the
    reports' page, made in the background (12 s on the demo; it used to hold a web worker that
    long), then downloaded from here. The PDF is kept in the database, so any web server can
    hand out what any worker host made, and deleted by the nightly job after
    annual_runs.KEPT. The id is random: a run's pages are reached from the page that queued it.
    At most one run per year and report date is queued or being made at a time (the
    constraint): a second request reuses it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("report date"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    pages = models.PositiveIntegerField(null=True)
    seconds = models.FloatField(null=True)
    pdf = models.BinaryField(null=True, editable=False)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "as_of"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_pending_annual_report_per_year_and_date",
            )
        ]
        verbose_name = _("annual report run")

    def __str__(self) -> str:
        return f"annual report {self.year} ({self.as_of}): {self.state}"

    @property
    def pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
