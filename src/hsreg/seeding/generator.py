"""Deterministic synthetic patients with histories that exercise every rule of the guideline.

Patient ``n`` of seed ``s`` is drawn from its own ``random.Random`` seeded from ``(s, n)``, and
the module-level ``random`` is never touched: the same seed gives the same patients, and the
first 50 of a 2,000-patient run are the 50 of a 50-patient run. Identities (name, birth date,
synthetic national id number) are drawn first, in order, so that numbers are unique in the run
whatever the order histories are later built in (the writer builds them in parallel on
PostgreSQL). Dates are relative to ``today``: a demo seeded today has patients due for their
12-week evaluation today.

The first patients of every run take the stories (stories.STORIES) in order, at the showcase
unit, so even a small run shows each decision; later patients draw a story by weight.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from hsreg.patients.models import Patient
from hsreg.patients.national_id import synthetic_number

from . import names
from .journey import Journey, Options, SeededPatient
from .journey.answers import score_controls
from .stories import STORIES, STORY_FUNCTIONS
from .units import SHOWCASE, UNITS, UnitSpec

# --- patients -----------------------------------------------------------------------------


def _age(rng: random.Random, adolescent: bool) -> int:
    """Ages 18-80, mostly 20-50 (HS starts after puberty and is most active then)."""
    if adolescent:
        return rng.randint(14, 17)
    r = rng.random()
    if r < 0.72:
        return rng.randint(20, 50)
    if r < 0.88:
        return rng.randint(51, 65)
    if r < 0.94:
        return rng.randint(18, 19)
    return rng.randint(66, 80)


def _birth_date(rng: random.Random, age: int, today: date) -> date:
    latest = date(today.year - age, today.month, min(today.day, 28))
    return latest - timedelta(days=rng.randint(1, 360))


def _national_id(rng: random.Random, born: date, female: bool, used: set[str]) -> str:
    """A synthetic number (month + 80) whose individual number matches the century of birth
    (000-499 for 1900-1999, 500-999 for 2000-2039) and whose 9th digit gives the sex (even =
    female), distinct from ``used``."""
    low, high = (0, 499) if born.year < 2000 else (500, 999)
    while True:
        individual = rng.randint(low, high)
        if (individual % 2 == 0) != female:
            individual = individual + 1 if individual < high else individual - 1
        number = synthetic_number(born, individual)
        if number is not None and number not in used:
            return number


def _units(rng: random.Random, canonical: bool) -> list[int]:
    """The patient's unit (RESH id), and for some a second one in the same health region."""
    if canonical:
        return [SHOWCASE.resh_id]
    primary = rng.choices(UNITS, [u.weight for u in UNITS])[0]
    ids = [primary.resh_id]
    if rng.random() < 0.08:
        same_region: Sequence[UnitSpec] = [
            u for u in UNITS if u.region == primary.region and u is not primary
        ]
        ids.append(rng.choice(same_region).resh_id)
    return ids


@dataclass(frozen=True, slots=True)
class Identity:
    """Who patient ``number`` is and which story they follow."""

    number: int
    story: str
    age: int
    national_id: str
    first_name: str
    last_name: str
    birth_date: date
    female: bool
    unit_ids: tuple[int, ...]

    @property
    def canonical(self) -> bool:
        return self.number < len(STORIES)


def _rng(kind: str, options: Options, number: int) -> random.Random:
    return random.Random(f"hsreg-{kind}:{options.seed}:{number}")  # noqa: S311 - synthetic data, not secrets


def identity(number: int, options: Options, used: set[str]) -> Identity:
    """Patient ``number`` (0-based): story, age, sex, names and a synthetic national id number
    not in ``used`` (added to it)."""
    rng = _rng("identity", options, number)
    canonical = number < len(STORIES)
    if canonical:
        story = STORIES[number][0]
    else:
        story = rng.choices(STORIES, [weight for _, weight, _ in STORIES])[0][0]
    age = _age(rng, story == "adolescent")
    born = _birth_date(rng, age, options.today)
    female = rng.random() < 0.68  # HS is about twice as common in women
    national_id = _national_id(rng, born, female, used)
    used.add(national_id)
    return Identity(
        number=number,
        story=story,
        age=age,
        national_id=national_id,
        first_name=rng.choice(names.FEMALE if female else names.MALE),
        last_name=rng.choice(names.LAST),
        birth_date=born,
        female=female,
        unit_ids=tuple(_units(rng, canonical)),
    )


def identities(count: int, options: Options) -> list[Identity]:
    """Patients 0..count-1 of the run, each with a number unique in the run."""
    used: set[str] = set()
    return [identity(number, options, used) for number in range(count)]


def generate_one(who: Identity, options: Options) -> SeededPatient:
    """The patient and their history: the story told by its own random stream, so a patient
    does not depend on how many others are generated, nor in which order."""
    rng = _rng("story", options, who.number)
    tell = STORY_FUNCTIONS[who.story]
    patient = Patient(
        national_id=who.national_id,
        first_name=who.first_name,
        last_name=who.last_name,
        birth_date=who.birth_date,
        sex="female" if who.female else "male",
    )
    seeded = SeededPatient(who.number, who.story, patient, list(who.unit_ids))
    journey = Journey(rng, options, seeded, who.age)
    tell(journey, who.canonical)
    if options.extra_visits:
        journey.earlier_visits(_poisson(rng, options.extra_visits))
    if (who.number % 7 == 3) if who.canonical else rng.random() < 0.04:
        journey.correct_one()
    if (who.number % 6 == 1) if who.canonical else rng.random() < 0.04:
        journey.draft()
    score_controls(seeded.interventions, seeded.assessments)
    return seeded


def _poisson(rng: random.Random, mean: float) -> int:
    """A count with the given mean (Knuth's method; small means only)."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def generate(count: int, options: Options) -> Iterator[SeededPatient]:
    """Patients 0..count-1 of the run with their histories, one at a time."""
    for who in identities(count, options):
        yield generate_one(who, options)
