"""What every part of a `Journey` shares: the patient, the random source, today, and how a form
is dated and given its unit."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hsreg.records.models import Record, Status

from .patient import Options, SeededPatient

OSLO = ZoneInfo("Europe/Oslo")
#: body regions where HS is typical, with how often each is involved
TYPICAL_REGIONS = (
    ("axilla_left", 10),
    ("axilla_right", 10),
    ("groin_left", 8),
    ("groin_right", 8),
    ("gluteal_left", 5),
    ("gluteal_right", 5),
    ("inframammary_left", 3),
    ("inframammary_right", 3),
    ("genital", 2),
    ("perianal", 3),
    ("other", 1),
)


class JourneyBase:
    """One patient's journey: who the patient is, and the dating every form goes through."""

    def __init__(
        self, rng: random.Random, options: Options, seeded: SeededPatient, age: int
    ) -> None:
        self.rng = rng
        self.today = options.today
        self.p = seeded
        self.age = age
        self.female = seeded.patient.sex == "female"
        self.height = rng.randint(155, 180) if self.female else rng.randint(167, 196)
        self.weight = (
            rng.randint(52, 125) if self.female else rng.randint(62, 140)
        )  # HS goes with a high BMI
        if age < 18:
            self.weight = rng.randint(38, 78)
        self.sartorius = rng.random() < 0.45  # distances recorded, so XS-3 can be scored
        self.totals_only = rng.random() < 0.12  # counts typed as totals, not per region
        self.smoking = rng.choices((1, 2, 3, 9), (45, 22, 30, 3))[0]
        self.work = 1 if age < 62 else 5
        self.visit_days: set[date] = set()
        self.regions = self._pick_regions()

    # dates
    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def unit_for(self) -> int:
        ids = self.p.unit_ids
        return ids[1] if len(ids) > 1 and self.rng.random() < 0.3 else ids[0]

    def _record(self, record: Record, on: date, status: str = Status.FINISHED) -> None:
        record.patient = self.p.patient
        record.unit_id = self.unit_for()
        record.date = on
        record.status = status
        if status != Status.DRAFT:
            record.finished_at = datetime.combine(on, time(14, 0), tzinfo=OSLO)

    def _pick_regions(self) -> list[str]:
        regions, weights = zip(*TYPICAL_REGIONS, strict=True)
        count = self.rng.choices((1, 2, 3, 4, 5), (20, 35, 25, 13, 7))[0]
        chosen: list[str] = []
        while len(chosen) < count:
            region = self.rng.choices(regions, weights)[0]
            if region not in chosen:
                chosen.append(region)
        return chosen

    def free_day(self, on: date) -> date:
        """``on`` or the nearest earlier day without an assessment (one per day, as the
        engine requires)."""
        while on in self.visit_days:
            on -= timedelta(days=1)
        return on
