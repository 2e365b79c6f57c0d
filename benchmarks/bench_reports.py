"""The national quality-indicator report: hsreg's two aggregate queries against the way the
real registry's Rapporteket (R) builds it, every table loaded into data frames and the
indicators rebuilt there, here with pandas. Both run on the same PostgreSQL database.

Run it by hand from the repository root (it is not a test; seeding 100,000 takes minutes):

    .venv/bin/python benchmarks/bench_reports.py            # 100,000 patients
    .venv/bin/python benchmarks/bench_reports.py --quick    # 2,000 patients
    .venv/bin/python benchmarks/bench_reports.py --reuse    # an already seeded database

What it does:

1. creates a fresh database (``hsreg_bench_reports`` on ``postgresql://postgres@127.0.0.1:5432``;
   ``--admin-url`` and ``--database`` change them) and runs ``hsreg migrate`` and
   ``hsreg seed --patients N``; ``--reuse`` uses the database as it is when it already holds
   patients, and ``--keep`` keeps it afterwards;
2. **hsreg's way**, with Django in this process: ``reports.indicators.unit_tallies`` for every
   indicator, unit and report year (two aggregate queries over the ``episode`` CTE and the
   medical histories), the coverage of the latest year (one query), and every indicator's table
   at every level (unit, health trust, health region, nation) from those tallies with
   ``indicator_table``: the national report's figures, suppression and exact intervals;
3. **Rapporteket's way**: every finished intervention, doctor's assessment, patient's report,
   drug course and medical history, every patient and unit, read into pandas data frames as
   hisregHentData reads the registry's tables (``load``); then the episodes rebuilt there
   (baseline = the patient's latest finished "before treatment" form on or before the
   intervention, by ``merge_asof``; the control = the latest finished form linked to the
   intervention at 6 months for surgical and combined, 3 months for medical ones; the
   follow-up windows of guideline.followup) and every indicator of reports.definitions counted
   per unit and year, then summed per trust, region and nation with shares and exact
   intervals (``compute``);
4. checks that both give exactly the same tallies, every (indicator, RESH id, year) with its
   numerator and denominator; prints the first 20 differences and exits 1 if any differ.

Each way runs once untimed (connections, caches), then ``--repeat`` times (5) timed. It prints
patients, episodes, min/median seconds of each way (pandas' load and compute also apart) and
the speed-up, against the targets: the national report in under 2 s at 100,000 patients, at
least 5 times faster than the pandas rebuild. The targets are reported, and fail the run
(exit 1) only with ``--enforce``. ``PGOPTIONS="-c jit=off"`` in the environment runs both ways
without PostgreSQL's JIT compiler (libpq passes it to every connection).
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql
from scipy.stats import beta

ROOT = Path(__file__).resolve().parents[1]
HSREG = Path(sys.executable).with_name("hsreg")
TARGET_SECONDS = 2.0
TARGET_SPEEDUP = 5.0

Key = tuple[str, int, int]  # (indicator id, RESH id, year)
Counts = dict[Key, tuple[int, int]]  # -> (numerator, denominator)


# --- setting up ---------------------------------------------------------------------------


def run(command: list[str], env: dict[str, str]) -> str:
    print("+", " ".join(command[1:] if command[0] == str(HSREG) else command), flush=True)
    completed = subprocess.run(  # noqa: S603 - hsreg's own commands
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    if completed.returncode:
        raise SystemExit(f"{command[1]} failed with exit code {completed.returncode}")
    return completed.stdout


def database_url(admin_url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def seeded_patients(admin_url: str, name: str) -> int:
    """Patients in database ``name``; 0 when it or its tables do not exist."""
    with psycopg.connect(admin_url, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            return 0
    try:
        with psycopg.connect(database_url(admin_url, name)) as connection:
            row = connection.execute("SELECT count(*) FROM patients_patient").fetchone()
    except psycopg.errors.UndefinedTable:
        return 0
    return int(row[0]) if row else 0


def fresh_database(admin_url: str, name: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django(url: str) -> None:
    """Django in this process on the benchmark's database (production settings, DEBUG off, so
    no query log is kept)."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "hsreg.config.settings"
    os.environ.setdefault("HSREG_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.pop("HSREG_DEBUG", None)
    import django  # noqa: PLC0415

    django.setup()


# --- hsreg's way --------------------------------------------------------------------------


@dataclass
class HsregReport:
    counts: Counts
    tables: int
    rows: int


def hsreg_report(*, year: int, as_of: date) -> HsregReport:
    """The national report as hsreg builds it: the tallies from two aggregate queries, the
    latest year's coverage, and every indicator's table at every level."""
    from hsreg.reports import suppression  # noqa: PLC0415
    from hsreg.reports.coverage import coverage_by_unit  # noqa: PLC0415
    from hsreg.reports.definitions import INDICATORS  # noqa: PLC0415
    from hsreg.reports.indicators import (  # noqa: PLC0415
        LEVELS,
        indicator_table,
        report_years,
        unit_tallies,
    )
    from hsreg.units.models import Unit  # noqa: PLC0415

    years = report_years(year)
    units = list(Unit.objects.all())
    tallies = unit_tallies(years=years, as_of=as_of)
    coverage = coverage_by_unit(years=[year])
    low = frozenset(
        resh
        for (resh, y), c in coverage.items()
        if y == year and suppression.low_coverage(c.percent)
    )
    tables = [
        indicator_table(i, tallies, years=years, level=level, units=units, low_coverage=low)
        for level in LEVELS
        for i in INDICATORS
    ]
    return HsregReport(
        counts={key: (t.numerator, t.denominator) for key, t in tallies.items()},
        tables=len(tables),
        rows=sum(len(t.rows) for t in tables),
    )


# --- Rapporteket's way: pandas ------------------------------------------------------------

COMPLICATIONS = (
    "wound_infection",
    "delayed_healing",
    "scar_problems",
    "nerve_damage",
    "sepsis",
    "bleeding",
    "other_complications",
)
QUERIES = {
    "interventions": "SELECT id, patient_id, unit_id, date, type "
    "FROM treatments_intervention WHERE status = 'finished'",
    "doctor": "SELECT id, patient_id, unit_id, date, occasion, intervention_id, ihs4, hurley, "
    "an_count, abscesses, draining_tunnels, bmi "
    "FROM assessments_doctorassessment WHERE status = 'finished'",
    "patient_reports": "SELECT id, patient_id, unit_id, date, occasion, intervention_id, "
    "dlqi_total, vas_total, smoking, satisfaction, wound_infection, delayed_healing, "
    "scar_problems, nerve_damage, sepsis, bleeding, other_complications "
    "FROM assessments_patientreport WHERE status = 'finished'",
    "drugs": "SELECT id, patient_id, intervention_id, drug, date "
    "FROM treatments_drugcourse WHERE status = 'finished'",
    "histories": "SELECT id, patient_id, unit_id, date, medication_antibiotic, "
    "months_gp_to_specialist, age_first_gp, age_diagnosis "
    "FROM assessments_medicalhistory WHERE status = 'finished'",
    "patients": "SELECT id, birth_date, sex FROM patients_patient",
    "units": "SELECT resh_id, name, health_trust, region FROM units_unit",
}
DATES = {"date", "birth_date"}
TEXT = {"occasion", "drug", "sex", "name", "health_trust", "region"}
DECIMALS = {"vas_total", "bmi"}


def load(url: str) -> dict[str, pd.DataFrame]:
    """Every finished form, patient and unit as typed data frames: dates as datetime64, counts
    and codes as float (NaN for an empty answer), the 0-10 scales and BMI as float."""
    frames: dict[str, pd.DataFrame] = {}
    with psycopg.connect(url) as connection:
        for name, query in QUERIES.items():
            cursor = connection.execute(query)
            columns = [d.name for d in cursor.description or ()]
            frame = pd.DataFrame(cursor.fetchall(), columns=columns)
            for column in columns:
                if column in DATES:
                    frame[column] = pd.to_datetime(frame[column])
                elif column in DECIMALS:
                    frame[column] = pd.to_numeric(frame[column].astype(object), errors="raise")
                    frame[column] = frame[column].astype("float64")
                elif column not in TEXT:
                    frame[column] = frame[column].astype("float64")
            frames[name] = frame
    return frames


def _latest(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """The latest row (by date, then id) of each ``by``."""
    return frame.sort_values(["date", "id"]).drop_duplicates(by, keep="last")


def episodes(t: dict[str, pd.DataFrame], *, first: int, last: int, as_of: date) -> pd.DataFrame:
    """One row per finished intervention of the years ``first``-``last`` on or before ``as_of``,
    with the columns reports.episodes gives the indicators."""
    from hsreg.guideline.catalog import DRUGS  # noqa: PLC0415
    from hsreg.guideline.followup import window_days  # noqa: PLC0415

    end = min(pd.Timestamp(last, 12, 31), pd.Timestamp(as_of))
    iv = t["interventions"]
    e = iv[(iv["date"] >= pd.Timestamp(first, 1, 1)) & (iv["date"] <= end)].copy()
    e["id"] = e["id"].astype("int64")
    e["patient_id"] = e["patient_id"].astype("int64")
    e["unit_id"] = e["unit_id"].astype("int64")
    e["year"] = e["date"].dt.year
    e["surgical"] = e["type"].isin([1, 3])
    e["medical"] = e["type"].isin([2, 3])
    e["judged_at"] = np.where(e["surgical"], "6m", "3m")

    # the baseline: the patient's latest finished "pre" form dated on or before the intervention
    left = e[["id", "patient_id", "date"]].sort_values("date")
    for forms, columns in (
        (t["doctor"], ["ihs4", "hurley", "an_count", "abscesses", "draining_tunnels", "bmi"]),
        (t["patient_reports"], ["dlqi_total", "vas_total", "smoking"]),
    ):
        pre = forms[forms["occasion"] == "pre"][["id", "patient_id", "date", *columns]]
        pre = pre.rename(columns={"id": "form_id", **{c: f"base_{c}" for c in columns}})
        pre["patient_id"] = pre["patient_id"].astype("int64")
        pre = pre.sort_values(["date", "form_id"])  # merge_asof takes the last of equal dates
        found = pd.merge_asof(left, pre, on="date", by="patient_id", direction="backward")
        e = e.merge(found.drop(columns=["patient_id", "date", "form_id"]), on="id", how="left")

    # the control: the latest finished form linked to the intervention at its judging occasion
    judged = e[["id", "judged_at"]].rename(columns={"id": "intervention_id"})
    for forms, columns in (
        (t["doctor"], ["ihs4", "hurley", "an_count", "abscesses", "draining_tunnels"]),
        (t["patient_reports"], ["dlqi_total", "vas_total", "satisfaction"]),
    ):
        linked = forms[forms["intervention_id"].notna()].copy()
        linked["intervention_id"] = linked["intervention_id"].astype("int64")
        linked = linked.merge(judged, on="intervention_id")
        linked = _latest(linked[linked["occasion"] == linked["judged_at"]], "intervention_id")
        control = linked[["intervention_id", *columns]].rename(
            columns={"intervention_id": "id", **{c: f"ctl_{c}" for c in columns}}
        )
        e = e.merge(control, on="id", how="left")

    e["base_vas"] = np.round(e.pop("base_vas_total") * 10)  # whole tenths, as the database's
    e["ctl_vas"] = np.round(e.pop("ctl_vas_total") * 10)
    e = e.rename(
        columns={
            "base_an_count": "base_an",
            "ctl_an_count": "ctl_an",
            "base_draining_tunnels": "base_tunnels",
            "ctl_draining_tunnels": "ctl_tunnels",
            "base_dlqi_total": "base_dlqi",
            "ctl_dlqi_total": "ctl_dlqi",
        }
    )

    # complications: any judging control report (not only the latest) answering yes or no
    reports = t["patient_reports"]
    linked = reports[reports["intervention_id"].notna()].copy()
    linked["intervention_id"] = linked["intervention_id"].astype("int64")
    linked = linked.merge(judged, on="intervention_id")
    linked = linked[linked["occasion"] == linked["judged_at"]]
    answers = linked[list(COMPLICATIONS)]
    linked = linked.assign(answered=answers.isin([0, 1]).any(axis=1), yes=answers.eq(1).any(axis=1))
    per = linked.groupby("intervention_id")[["answered", "yes"]].any()
    e["complications_answered"] = e["id"].map(per["answered"]).fillna(False).astype(bool)
    e["complication"] = e["id"].map(per["yes"]).fillna(False).astype(bool)

    # the follow-up: any finished linked form (doctor's or patient's) inside the window
    dated = pd.concat(
        [
            t["doctor"][["intervention_id", "date"]],
            t["patient_reports"][["intervention_id", "date"]],
        ]
    )
    dated = dated[dated["intervention_id"].notna()].astype({"intervention_id": "int64"})
    dated = dated.merge(
        e[["id", "date"]].rename(columns={"id": "intervention_id", "date": "on"}),
        on="intervention_id",
    )
    days = (dated["date"] - dated["on"]).dt.days
    as_of_ts = pd.Timestamp(as_of)
    for months, kind in ((3, "medical"), (6, "surgical")):
        opens, closes = window_days(kind)  # type: ignore[arg-type]
        done = set(dated.loc[(days >= opens) & (days <= closes), "intervention_id"])
        e[f"followup_{months}m_done"] = e["id"].isin(done)
        e[f"followup_{months}m_due"] = e[kind] & (e["date"] <= as_of_ts - pd.Timedelta(days=closes))

    # a biologic started: a finished drug course linked to it with a biologic drug
    biologics = {d.id for d in DRUGS.values() if d.biologic}
    drugs = t["drugs"]
    e["biologic"] = e["id"].isin(
        set(drugs.loc[drugs["drug"].isin(biologics), "intervention_id"].dropna().astype("int64"))
    )
    # prior antibiotics: the patient's latest finished medical history
    history = _latest(t["histories"], "patient_id").astype({"patient_id": "int64"})
    e["prior_antibiotic"] = e["patient_id"].map(
        history.set_index("patient_id")["medication_antibiotic"]
    )
    return e


def _both(e: pd.DataFrame, column: str) -> pd.Series:
    return e[f"base_{column}"].notna() & e[f"ctl_{column}"].notna()


def episode_masks(e: pd.DataFrame) -> dict[str, tuple[pd.Series, pd.Series]]:
    """Each episode indicator's (denominator, numerator) as boolean columns: a comparison with
    NaN is False, as SQL's NULL fails a filter."""
    from hsreg.guideline.scores import (  # noqa: PLC0415
        DLQI_ADEQUATE_FALL,
        DLQI_ELIGIBLE_FROM,
        HISCR_PERCENT,
    )
    from hsreg.reports.definitions import (  # noqa: PLC0415
        ANTIBIOTICS_USED,
        SATISFACTION_ANSWERED,
        SATISFIED,
        VAS_FALL_PERCENT,
    )

    antibiotics = e["prior_antibiotic"].isin(ANTIBIOTICS_USED)
    biologic_dlqi = e["biologic"] & e["base_dlqi"].notna()
    return {
        "hisreg_reduksjon_ihs4": (_both(e, "ihs4"), e["ctl_ihs4"] < e["base_ihs4"]),
        "full_responder": (
            _both(e, "an") & _both(e, "abscesses") & _both(e, "tunnels") & (e["base_an"] > 0),
            (100 * (e["base_an"] - e["ctl_an"]) >= HISCR_PERCENT * e["base_an"])
            & (e["ctl_abscesses"] <= e["base_abscesses"])
            & (e["ctl_tunnels"] <= e["base_tunnels"]),
        ),
        "hisreg_reduksjon_hurley": (
            e["base_hurley"].isin([2, 3]) & e["ctl_hurley"].notna(),
            e["ctl_hurley"] < e["base_hurley"],
        ),
        "hisreg_reduksjon_dlqi": (
            _both(e, "dlqi"),
            e["base_dlqi"] - e["ctl_dlqi"] >= DLQI_ADEQUATE_FALL,
        ),
        "hisreg_reduksjon_vas": (
            _both(e, "vas") & (e["base_vas"] > 0),
            100 * (e["base_vas"] - e["ctl_vas"]) > VAS_FALL_PERCENT * e["base_vas"],
        ),
        "hisreg_kontr_3mnd_med": (e["followup_3m_due"], e["followup_3m_done"]),
        "hisreg_kontr_6mnd_kir": (e["followup_6m_due"], e["followup_6m_done"]),
        "hisreg_kompl_kir": (e["surgical"] & e["complications_answered"], e["complication"]),
        "pasientfornoydhet": (
            e["ctl_satisfaction"].isin(SATISFACTION_ANSWERED),
            e["ctl_satisfaction"].isin(SATISFIED),
        ),
        "tidl_antibiotisk": (e["biologic"], antibiotics),
        "dlqikrav_oppfylt": (biologic_dlqi, e["base_dlqi"] >= DLQI_ELIGIBLE_FROM),
        "tidl_antibiotisk_dlqikrav_oppfylt": (
            biologic_dlqi,
            antibiotics & (e["base_dlqi"] >= DLQI_ELIGIBLE_FROM),
        ),
    }


def referral_masks(h: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The referral indicator over medical histories: months given, or both ages; achieved
    within 12 months, or (without months) the same age at the first GP visit and diagnosis."""
    from hsreg.reports.definitions import REFERRAL_MONTHS  # noqa: PLC0415

    months = h["months_gp_to_specialist"]
    denominator = months.notna() | (h["age_first_gp"].notna() & h["age_diagnosis"].notna())
    numerator = (months <= REFERRAL_MONTHS) | (
        months.isna() & (h["age_diagnosis"] == h["age_first_gp"])
    )
    return denominator, numerator


def _tally(frame: pd.DataFrame, masks: dict[str, tuple[pd.Series, pd.Series]]) -> pd.DataFrame:
    """Long table of (indicator, unit_id, year, numerator, denominator), denominators > 0."""
    parts = []
    for indicator, (denominator, numerator) in masks.items():
        counted = pd.DataFrame(
            {
                "unit_id": frame["unit_id"],
                "year": frame["year"],
                "n": denominator.astype("int64"),
                "k": (denominator & numerator).astype("int64"),
            }
        )
        sums = counted.groupby(["unit_id", "year"], as_index=False)[["k", "n"]].sum()
        parts.append(sums[sums["n"] > 0].assign(indicator=indicator))
    return pd.concat(parts, ignore_index=True)


def pandas_tallies(
    t: dict[str, pd.DataFrame], *, years: list[int], as_of: date
) -> tuple[pd.DataFrame, set[str]]:
    """The tallies per (indicator, unit, year), and the ids of the indicators rebuilt."""
    first, last = min(years), max(years)
    e = episodes(t, first=first, last=last, as_of=as_of)
    h = t["histories"]
    h = h[(h["date"] <= pd.Timestamp(as_of))].copy()
    h["year"] = h["date"].dt.year
    h = h[(h["year"] >= first) & (h["year"] <= last)]
    h["unit_id"] = h["unit_id"].astype("int64")
    masks = {**episode_masks(e), "hisreg_henvist_spesialist_1aar": referral_masks(h)}
    tallies = pd.concat(
        [
            _tally(e, {k: v for k, v in masks.items() if k != "hisreg_henvist_spesialist_1aar"}),
            _tally(h, {"hisreg_henvist_spesialist_1aar": masks["hisreg_henvist_spesialist_1aar"]}),
        ],
        ignore_index=True,
    )
    return tallies, set(masks)


def pandas_tables(tallies: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The report's cells at every level: sums per unit, trust, region and nation, each with
    its share and exact 95 % interval in per cent."""
    u = units.astype({"resh_id": "int64"}).rename(columns={"resh_id": "unit_id"})
    merged = tallies.merge(u, on="unit_id")
    merged["unit"] = merged["unit_id"].astype(str)
    merged["nation"] = "nation"
    levels = []
    for level in ("unit", "health_trust", "region", "nation"):
        sums = merged.groupby(["indicator", level, "year"], as_index=False)[["k", "n"]].sum()
        levels.append(sums.rename(columns={level: "key"}).assign(level=level))
    cells = pd.concat(levels, ignore_index=True)
    k, n = cells["k"].to_numpy(), cells["n"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        cells["percent"] = 100 * k / n
        cells["ci_low"] = 100 * np.where(k == 0, 0.0, beta.ppf(0.025, k, n - k + 1))
        cells["ci_high"] = 100 * np.where(k == n, 1.0, beta.ppf(0.975, k + 1, n - k))
    return cells


def pandas_counts(tallies: pd.DataFrame) -> Counts:
    return {
        (str(r.indicator), int(r.unit_id), int(r.year)): (int(r.k), int(r.n))
        for r in tallies.itertuples(index=False)
    }


# --- timing and the comparison ------------------------------------------------------------


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def differences(ours: Counts, theirs: Counts) -> list[str]:
    lines = []
    for key in sorted(set(ours) | set(theirs)):
        a, b = ours.get(key), theirs.get(key)
        if a != b:
            lines.append(
                f"  {key[0]} unit {key[1]} {key[2]}: hsreg "
                f"{'-' if a is None else f'{a[0]}/{a[1]}'}, pandas "
                f"{'-' if b is None else f'{b[0]}/{b[1]}'}"
            )
    return lines


def sizes(url: str, *, years: list[int], as_of: date) -> tuple[int, int]:
    """Patients in the database, and finished interventions (episodes) of the report years."""
    with psycopg.connect(url) as connection:
        patients = connection.execute("SELECT count(*) FROM patients_patient").fetchone()
        episodes = connection.execute(
            "SELECT count(*) FROM treatments_intervention WHERE status = 'finished' "
            "AND date BETWEEN %s AND %s AND date <= %s",
            [date(min(years), 1, 1), date(max(years), 12, 31), as_of],
        ).fetchone()
    return int(patients[0]) if patients else 0, int(episodes[0]) if episodes else 0


def summary(seconds: list[float]) -> tuple[float, float]:
    return min(seconds), statistics.median(seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="2,000 patients")
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="hsreg_bench_reports")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database as it is if it holds patients"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--workers", type=int, help="hsreg seed --workers (default one per CPU)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each way (5)")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, default=date.today(), help="the report date (today)"
    )
    parser.add_argument(
        "--year", type=int, help="the report's year (default the year before --as-of)"
    )
    parser.add_argument(
        "--enforce", action="store_true", help="exit 1 when a timing target is missed"
    )
    args = parser.parse_args()
    patients = 2000 if args.quick else args.patients
    year = args.year or args.as_of.year - 1

    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}, {os.cpu_count()} CPUs; "
        f"report of {year} as of {args.as_of}",
        flush=True,
    )
    existing = seeded_patients(args.admin_url, args.database) if args.reuse else 0
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HSREG_") and k != "DJANGO_SETTINGS_MODULE"
    }
    if existing:
        url = database_url(args.admin_url, args.database)
        env.update(DATABASE_URL=url, HSREG_SECRET_KEY=secrets.token_urlsafe(50))
        print(f"Reusing {args.database} ({existing:,} patients)", flush=True)
        started = time.perf_counter()
        run([str(HSREG), "migrate"], env)  # a newer migration may store derived data
        print(f"Migrating took {time.perf_counter() - started:.1f} s", flush=True)
    else:
        url = fresh_database(args.admin_url, args.database)
        env.update(DATABASE_URL=url, HSREG_SECRET_KEY=secrets.token_urlsafe(50))
        run([str(HSREG), "migrate"], env)
        seed = [str(HSREG), "seed", "--patients", str(patients)]
        if args.workers:
            seed += ["--workers", str(args.workers)]
        started = time.perf_counter()
        print(run(seed, env).strip())
        print(f"Seeding took {time.perf_counter() - started:.0f} s", flush=True)
    try:
        return measure(args, url=url, year=year)
    finally:
        if not args.keep:
            from django.db import connections  # noqa: PLC0415

            connections.close_all()
            drop_database(args.admin_url, args.database)


def measure(args: argparse.Namespace, *, url: str, year: int) -> int:
    setup_django(url)
    from hsreg.reports.definitions import INDICATORS  # noqa: PLC0415
    from hsreg.reports.indicators import report_years  # noqa: PLC0415

    years = report_years(year)
    as_of = args.as_of
    patients, episode_count = sizes(url, years=years, as_of=as_of)

    hsreg_times: list[float] = []
    load_times: list[float] = []
    compute_times: list[float] = []
    report: HsregReport | None = None
    counted: pd.DataFrame | None = None
    rebuilt: set[str] = set()
    for attempt in range(args.repeat + 1):  # the first of each is untimed
        seconds, report = timed(lambda: hsreg_report(year=year, as_of=as_of))
        if attempt:
            hsreg_times.append(seconds)
        loading, frames = timed(lambda: load(url))

        def compute(frames: dict[str, pd.DataFrame] = frames) -> tuple[pd.DataFrame, set[str]]:
            tallies, ids = pandas_tallies(frames, years=years, as_of=as_of)
            pandas_tables(tallies, frames["units"])
            return tallies, ids

        computing, (counted, rebuilt) = timed(compute)
        if attempt:
            load_times.append(loading)
            compute_times.append(computing)
        print(
            f"  run {attempt}{' (untimed)' if not attempt else ''}: hsreg {seconds:.3f} s, "
            f"pandas {loading:.3f} + {computing:.3f} s",
            flush=True,
        )
    if report is None or counted is None:
        raise SystemExit("--repeat must be at least 1")

    ids = {i.id for i in INDICATORS}
    if rebuilt != ids:
        print(f"The pandas rebuild and reports.definitions differ in indicators: {rebuilt ^ ids}")
        return 1
    theirs = pandas_counts(counted)
    wrong = differences(report.counts, theirs)

    pandas_totals = [a + b for a, b in zip(load_times, compute_times, strict=True)]
    h_min, h_med = summary(hsreg_times)
    l_min, l_med = summary(load_times)
    c_min, c_med = summary(compute_times)
    p_min, p_med = summary(pandas_totals)
    speedup = p_med / h_med
    print(
        f"\n{patients:,} patients, {episode_count:,} episodes in {years[0]}-{years[-1]}; "
        f"{len(report.counts):,} tallies (indicator x unit x year), {report.tables} tables "
        f"with {report.rows:,} rows; {args.repeat} timed runs each"
    )
    print(f"{'':34} {'min s':>8} {'median s':>9}")
    print(f"{'hsreg (2+1 queries, all tables)':34} {h_min:8.3f} {h_med:9.3f}")
    print(f"{'pandas: load':34} {l_min:8.3f} {l_med:9.3f}")
    print(f"{'pandas: compute':34} {c_min:8.3f} {c_med:9.3f}")
    print(f"{'pandas: load + compute':34} {p_min:8.3f} {p_med:9.3f}")
    met_time = h_med < TARGET_SECONDS
    met_speed = speedup >= TARGET_SPEEDUP
    print(f"speed-up (median pandas / median hsreg): {speedup:.1f}x")
    print(f"target: hsreg < {TARGET_SECONDS:g} s: {'met' if met_time else 'MISSED'}")
    print(f"target: >= {TARGET_SPEEDUP:g}x faster than pandas: {'met' if met_speed else 'MISSED'}")
    if wrong:
        print(f"\nThe tallies differ in {len(wrong)} of {len(set(report.counts) | set(theirs))}:")
        print("\n".join(wrong[:20]))
        return 1
    print(f"\nAgreement: all {len(theirs):,} tallies equal (numerator and denominator).")
    if args.enforce and not (met_time and met_speed):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
