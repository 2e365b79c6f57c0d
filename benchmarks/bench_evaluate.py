"""How fast the guideline engine evaluates case documents.

Run it from the repository root with the project's interpreter:

    .venv/bin/python benchmarks/bench_evaluate.py            # 1,000 cases
    .venv/bin/python benchmarks/bench_evaluate.py --cases 5000

It generates varied, valid case documents deterministically (``random.Random(2026)``: adults
and adolescents, 1-6 assessments, some with per-region counts, DLQI as total or items,
tetracycline-class and adalimumab courses, screening, vaccinations and lab checks), checks that
every one evaluates without error, and then measures, best of 7 runs, wall
(``time.perf_counter``) and CPU time (this process and its children):

(a) engine: ``evaluate(doc)`` for each already-parsed document (validation included);
(b) the same and ``.to_dict("nb")``, the evaluation as JSON-ready data;
(c) engine + JSON: ``json.loads`` of each line (through ``load_json``, the CLI's strict
    parser), evaluate, ``json.dumps`` of each result - what ``hsreg evaluate --jsonl`` does
    per line;
(d) process: a whole ``hsreg evaluate --jsonl FILE`` run (interpreter start-up and imports
    included).

The issue's target: "well under a second of engine time for 1,000 case documents", i.e. (a)
and (b). On a shared virtual machine the same work can take twice as long from one minute to
the next; run it more than once.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, get_args

from hsreg.guideline import CaseError, evaluate, load_json
from hsreg.guideline.case import REGIONS, SCREENING_TESTS, ComorbidityId, StopReasonId

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7

STOP_REASONS = get_args(StopReasonId)
VACCINES = ("influenza", "pneumococcal", "dtap_ipv", "covid19", "hepatitis_b")
COMORBIDITIES = get_args(ComorbidityId)


def _day(value: date) -> str:
    return value.isoformat()


def _between(rng: random.Random, first: date, last: date) -> date:
    """A random day from ``first`` to ``last`` inclusive (``first`` if the range is empty)."""
    span = (last - first).days
    return first + timedelta(days=rng.randint(0, span)) if span > 0 else first


def _maybe_flag(rng: random.Random, true_share: float = 0.1) -> bool | None:
    roll = rng.random()
    if roll < 0.15:
        return None
    return roll < 0.15 + true_share


def _counts(rng: random.Random) -> tuple[int, int, int]:
    scale = rng.choice((1, 3, 8))
    return rng.randint(0, scale * 2), rng.randint(0, scale), rng.randint(0, scale)


def _assessment(rng: random.Random, day: date) -> dict[str, Any]:
    assessment: dict[str, Any] = {"date": _day(day)}
    if rng.random() < 0.3:
        regions = []
        for region in rng.sample(REGIONS, rng.randint(1, 4)):
            nodules, abscesses, tunnels = _counts(rng)
            entry: dict[str, Any] = {
                "region": region,
                "nodules": nodules,
                "abscesses": abscesses,
                "draining_tunnels": tunnels,
            }
            if rng.random() < 0.6:
                entry["hurley"] = rng.randint(1, 3)
            if rng.random() < 0.5:
                entry["longest_distance_cm"] = round(rng.uniform(0, 20), 1)
                entry["separated_by_normal_skin"] = rng.random() < 0.5
            regions.append(entry)
        assessment["regions"] = regions
        if rng.random() < 0.5:  # totals given, equal to the sums
            for field in ("nodules", "abscesses", "draining_tunnels"):
                assessment[field] = sum(r[field] for r in regions)
        stages = [r["hurley"] for r in regions if "hurley" in r]
        if stages and rng.random() < 0.5:
            assessment["hurley"] = max(stages)
        elif not stages and rng.random() < 0.7:
            assessment["hurley"] = rng.randint(1, 3)
    else:
        nodules, abscesses, tunnels = _counts(rng)
        assessment.update(nodules=nodules, abscesses=abscesses, draining_tunnels=tunnels)
        if rng.random() < 0.85:
            assessment["hurley"] = rng.randint(1, 3)
    if rng.random() < 0.8:
        assessment["inflammatory_activity"] = rng.choice(("mild", "moderate", "severe"))
    roll = rng.random()
    if roll < 0.45:
        assessment["dlqi"] = rng.randint(0, 30)
    elif roll < 0.75:
        assessment["dlqi_items"] = [
            None if rng.random() < 0.05 else rng.randint(0, 3) for _ in range(10)
        ]
    if rng.random() < 0.6:
        assessment["pain_vas"] = round(rng.uniform(0, 10), 1)
    if rng.random() < 0.2:
        assessment["non_inflammatory_nodules"] = rng.randint(0, 6)
    return assessment


def _treatments(rng: random.Random, as_of: date) -> list[dict[str, Any]]:
    treatments: list[dict[str, Any]] = []
    cursor = as_of - timedelta(days=rng.randint(200, 1400))
    for _ in range(rng.randint(0, 2)):  # tetracycline-class courses, one after the other
        start = _between(rng, cursor, cursor + timedelta(days=60))
        if start > as_of:
            break
        course: dict[str, Any] = {
            "drug": rng.choice(("doxycycline", "tetracycline", "lymecycline")),
            "start": _day(start),
        }
        end = start + timedelta(days=rng.randint(28, 130))
        if end <= as_of and rng.random() < 0.85:
            course["end"] = _day(end)
            if rng.random() < 0.9:
                course["stop_reason"] = rng.choice(STOP_REASONS)
            cursor = end + timedelta(days=rng.randint(1, 90))
        else:
            cursor = as_of + timedelta(days=1)
        treatments.append(course)
    if rng.random() < 0.2:
        start = _between(rng, as_of - timedelta(days=900), as_of)
        course = {"drug": rng.choice(("clindamycin_topical", "metformin")), "start": _day(start)}
        if rng.random() < 0.5:
            course["end"] = _day(_between(rng, start, as_of))
        treatments.append(course)
    if rng.random() < 0.35:  # adalimumab, started on or before as_of
        start = _between(rng, as_of - timedelta(days=500), as_of)
        course = {"drug": "adalimumab", "start": _day(start)}
        if rng.random() < 0.6:
            course["regimen"] = rng.choice(("weekly_40", "biweekly_80"))
        if rng.random() < 0.2:
            course["end"] = _day(_between(rng, start, as_of))
            course["stop_reason"] = rng.choice(STOP_REASONS)
        treatments.append(course)
    rng.shuffle(treatments)
    return treatments


def _screening(rng: random.Random) -> dict[str, Any]:
    screening: dict[str, Any] = {}
    roll = rng.random()
    if roll < 0.5:
        screening["tests_done"] = list(SCREENING_TESTS)
    elif roll < 0.8:
        screening["tests_done"] = rng.sample(SCREENING_TESTS, rng.randint(0, len(SCREENING_TESTS)))
    if rng.random() < 0.7:
        screening["igra"] = rng.choice(("negative", "negative", "negative", "positive"))
    if rng.random() < 0.7:
        screening["chest_xray"] = rng.choice(("normal", "normal", "normal", "abnormal"))
    for field in (
        "cancer_within_5_years",
        "demyelinating_disease",
        "pregnant_or_planning",
        "tb_symptoms",
        "tb_exposure",
        "tb_treated_before",
        "tb_referral_cleared",
    ):
        flag = _maybe_flag(rng)
        if flag is not None:
            screening[field] = flag
    if rng.random() < 0.7:
        screening["heart_failure_nyha"] = rng.choice((0, 0, 0, 0, 1, 2, 3, 4))
    return screening


def generate_case(rng: random.Random) -> dict[str, Any]:
    """One valid case document; every date is on or before its ``as_of``."""
    as_of = date(2024, 1, 1) + timedelta(days=rng.randint(0, 3 * 365))
    adolescent = rng.random() < 0.2
    age_days = rng.randint(12 * 366, 17 * 365) if adolescent else rng.randint(18 * 366, 80 * 365)
    patient: dict[str, Any] = {"birth_date": _day(as_of - timedelta(days=age_days))}
    if rng.random() < 0.8:
        patient["weight_kg"] = round(rng.uniform(28, 75) if adolescent else rng.uniform(50, 160), 1)
    if rng.random() < 0.6:
        patient["height_cm"] = round(rng.uniform(140, 200), 1)
    if rng.random() < 0.8:
        patient["sex"] = rng.choice(("female", "male", "other"))
    if rng.random() < 0.6:
        patient["smoking"] = rng.choice(("current", "former", "never"))
    if rng.random() < 0.3:
        patient["comorbidities"] = rng.sample(COMORBIDITIES, rng.randint(1, 3))

    document: dict[str, Any] = {"as_of": _day(as_of), "patient": patient}
    if rng.random() < 0.9:
        document["diagnosis"] = {
            field: _maybe_flag(rng, true_share=0.75)
            for field in ("typical_lesions", "typical_location", "chronic_relapsing")
        }

    visits = sorted(  # one assessment a day at most (the engine refuses two on one date)
        {_between(rng, as_of - timedelta(days=700), as_of) for _ in range(rng.randint(1, 6))}
    )
    document["assessments"] = [_assessment(rng, day) for day in visits]
    rng.shuffle(document["assessments"])

    treatments = _treatments(rng, as_of)
    if treatments:
        document["treatments"] = treatments
    if rng.random() < 0.85:
        document["screening"] = _screening(rng)
    if rng.random() < 0.6:
        vaccinations = []
        for vaccine in rng.sample(VACCINES, rng.randint(1, 3)):
            dose: dict[str, Any] = {
                "vaccine": vaccine,
                "date": _day(_between(rng, as_of - timedelta(days=4000), as_of)),
            }
            if rng.random() < 0.8:
                dose["live"] = rng.random() < 0.1
            vaccinations.append(dose)
        document["vaccinations"] = vaccinations
    if rng.random() < 0.4:
        document["lab_checks"] = sorted(
            _day(_between(rng, as_of - timedelta(days=400), as_of))
            for _ in range(rng.randint(1, 4))
        )
    return document


def generate_cases(n: int, seed: int = 2026) -> list[dict[str, Any]]:
    """``n`` varied, valid case documents, the same ones for the same ``seed``."""
    rng = random.Random(seed)
    return [generate_case(rng) for _ in range(n)]


def check_all_valid(lines: list[str]) -> None:
    """Every generated document evaluates without error (through the JSON text, as the CLI)."""
    for number, line in enumerate(lines, start=1):
        try:
            evaluate(load_json(line)).to_dict("nb")
        except CaseError as error:
            raise SystemExit(f"generated case {number} is invalid:\n{error}") from None


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children: steadier than wall time on a
    shared machine, where other work stretches the wall clock but not our CPU time."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def best_of(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """The best wall time and the best CPU time of ``runs`` runs.

    As `timeit` does, the garbage collector is paused while a run is timed: otherwise its full
    passes over the benchmark's own thousands of retained documents land in some runs and not
    others. The whole-process figure (c) runs with the collector on, as a user would.
    """
    walls, cpus = [], []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            wall, cpu = time.perf_counter(), _cpu_seconds()
            work()
            walls.append(time.perf_counter() - wall)
            cpus.append(_cpu_seconds() - cpu)
        finally:
            gc.enable()
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="how many cases (default 1000)")
    args = parser.parse_args()
    n: int = args.cases
    if n < 1:
        parser.error("--cases must be at least 1")

    documents = generate_cases(n)
    lines = [json.dumps(document) for document in documents]
    check_all_valid(lines)
    parsed = [json.loads(line) for line in lines]

    def engine() -> None:
        for document in parsed:
            evaluate(document)

    def engine_to_dict() -> None:
        for document in parsed:
            evaluate(document).to_dict("nb")

    def engine_and_json() -> None:
        for line in lines:
            result = evaluate(load_json(line)).to_dict("nb")
            json.dumps(result, ensure_ascii=False, separators=(",", ":"))

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "cases.jsonl"
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        command = [sys.executable, "-m", "hsreg", "evaluate", "--jsonl", str(path)]

        def process() -> None:
            completed = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
                command, cwd=ROOT, capture_output=True, check=False, timeout=600
            )
            if completed.returncode != 0:
                raise SystemExit(f"hsreg exited {completed.returncode}:\n{completed.stderr!r}")
            produced = completed.stdout.count(b"\n")
            if produced != n:
                raise SystemExit(f"hsreg printed {produced} lines for {n} cases")

        figures = [
            ("(a) engine: evaluate()", best_of(RUNS, engine)),
            ("(b) engine + .to_dict()", best_of(RUNS, engine_to_dict)),
            ("(c) + json.loads / json.dumps", best_of(RUNS, engine_and_json)),
            ("(d) hsreg evaluate --jsonl process", best_of(RUNS, process)),
        ]

    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.machine()}; {n} cases, best of {RUNS}"
    )
    print(f"{'measure':<38} {'wall s':>8} {'CPU s':>8} {'µs/case (CPU)':>14}")
    for label, (wall, cpu) in figures:
        print(f"{label:<38} {wall:>8.3f} {cpu:>8.3f} {cpu / n * 1e6:>14.0f}")
    print("target: engine time (a, b) well under 1 s for 1,000 case documents")


if __name__ == "__main__":
    main()
