"""The national quality-indicator report: hsreg's aggregate query against the way the real
registry's Rapporteket (R) builds it, every table loaded into data frames and the indicators
rebuilt there with pandas (benchmarks/reports_pandas.py). Both run on the same PostgreSQL
database, and both follow the indicator definitions issue 16 decided (complete episodes with
their own baseline, the doctor's control in lubridate's months inside strict windows, the
referral at the patient's first complete episode, the pooled three years).

Run it by hand from the repository root (it is not a test; seeding 100,000 takes minutes):

    .venv/bin/python benchmarks/bench_reports.py            # 100,000 patients
    .venv/bin/python benchmarks/bench_reports.py --quick    # 2,000 patients
    .venv/bin/python benchmarks/bench_reports.py --reuse    # an already seeded database

What it does:

1. creates a fresh database (``hsreg_bench_reports`` on ``postgresql://postgres@127.0.0.1:5432``;
   ``--admin-url`` and ``--database`` change them) and runs ``hsreg migrate`` and
   ``hsreg seed --patients N``; ``--reuse`` uses the database as it is when it already holds
   patients (``hsreg migrate`` first, timed: a new migration may refill the stored episode
   facts; ``--refresh`` also refills them with the current code and times it), and ``--keep``
   keeps it afterwards;
2. puts the definitions' edge cases into a database it seeded (``--edge-cases`` into a reused
   one too, ``--no-edge-cases`` never; benchmarks/reports_edges.py: the seeded histories are
   all regular), refreshes the altered patients' episodes with hsreg's ``refresh_episodes``,
   and runs ``ANALYZE`` (as autovacuum would; timed);
3. **hsreg's way**, with Django in this process: ``reports.indicators.unit_tallies`` for every
   indicator, unit and report year (one aggregate query over the complete episodes), the
   coverage of the latest year, and every indicator's table at every level (unit, health
   trust, health region, nation) with ``indicator_table``: the national report's figures,
   suppression, the pooled three years and exact intervals;
4. **Rapporteket's way** (``reports_pandas``): every finished intervention, doctor's assessment,
   patient's report, drug course and medical history, every patient and unit, read into pandas
   data frames as hisregHentData reads the registry's tables (``load``); then the episodes
   rebuilt there and every indicator counted per unit and year, then summed per trust, region
   and nation, per year and pooled, with shares and exact intervals (``compute``);
5. checks that both give exactly the same tallies, every (indicator, RESH id, year) with its
   numerator and denominator, and the same numerator and denominator in every cell of every
   table (each level, each year and the pooled column); checks the rebuild's lubridate months
   against ``guideline.followup.months_between`` on every (intervention, doctor's control)
   pair of the database, and that every cell R hides (a row's years when its latest is under
   the threshold, D3) hsreg hides too; prints the first 20 differences and exits 1 if any
   differ;
6. times the distributions page's national counting (``distributions.counts.distributions``)
   without and with a filter (women aged 18-39; ``--filter-sex``, ``--filter-ages``), and
   checks the filtered units' figure against a pandas count.

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

import pandas as pd
import psycopg
from psycopg import sql

import reports_edges
import reports_pandas as rp

ROOT = Path(__file__).resolve().parents[1]
HSREG = Path(sys.executable).with_name("hsreg")
TARGET_SECONDS = 2.0
TARGET_SPEEDUP = 5.0

Key = tuple[str, int, int]  # (indicator id, RESH id, year)
Counts = dict[Key, tuple[int, int]]  # -> (numerator, denominator)
#: (indicator id, level, row key, year or rp.POOLED) -> (numerator, denominator)
CellKey = tuple[str, str, str, int]
Cells = dict[CellKey, tuple[int, int]]


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


def analyze(url: str) -> float:
    """``ANALYZE`` the whole database, as autovacuum would after a bulk load (it is off on some
    servers: the planner then reads the seeded tables as nearly empty and the episode refresh's
    sub-selects scan by date instead of by patient); the seconds it took."""
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")
    return time.perf_counter() - started


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
    tables: list[Any]  # reports.indicators.IndicatorTable


def hsreg_report(*, year: int, as_of: date) -> HsregReport:
    """The national report as hsreg builds it: the tallies from the aggregate query, the
    latest year's coverage, and every indicator's table at every level (its suppression
    worked out once per indicator)."""
    from hsreg.reports.coverage import low_coverage_units  # noqa: PLC0415
    from hsreg.reports.indicators import (  # noqa: PLC0415
        LEVELS,
        report_years,
        tables_at_levels,
        unit_tallies,
    )
    from hsreg.units.models import Unit  # noqa: PLC0415

    years = report_years(year)
    units = list(Unit.objects.all())
    tallies = unit_tallies(years=years, as_of=as_of)
    by_level = tables_at_levels(
        LEVELS,
        tallies=tallies,
        years=years,
        units=units,
        low_coverage=low_coverage_units(year=year),
    )
    tables = [table for level in LEVELS for table in by_level[level]]
    return HsregReport(
        counts={key: (t.numerator, t.denominator) for key, t in tallies.items()},
        tables=tables,
    )


def hsreg_hidden(report: HsregReport) -> set[CellKey]:
    """The cells with a denominator that hsreg hides (primary or secondary suppression)."""
    hidden: set[CellKey] = set()
    for table in report.tables:
        for row in table.rows:
            columns = [*row.cells.items(), (rp.POOLED, getattr(row, "pooled", None))]
            for column, cell in columns:
                if cell is not None and cell.denominator and cell.hidden is not None:
                    hidden.add((table.indicator.id, row.level, str(row.key), int(column)))
    return hidden


def hsreg_cells(report: HsregReport) -> Cells:
    """Every cell of hsreg's tables with a denominator: (indicator, level, row, year) ->
    (numerator, denominator); the pooled figure (``Row.pooled``) as year ``rp.POOLED``."""
    cells: Cells = {}
    for table in report.tables:
        for row in table.rows:
            columns = [*row.cells.items(), (rp.POOLED, getattr(row, "pooled", None))]
            for column, cell in columns:
                if cell is not None and cell.denominator:
                    key = (table.indicator.id, row.level, str(row.key), int(column))
                    cells[key] = (cell.numerator, cell.denominator)
    return cells


# --- Rapporteket's way --------------------------------------------------------------------


def pandas_counts(tallies: pd.DataFrame) -> Counts:
    return {
        (str(r.indicator), int(r.unit_id), int(r.year)): (int(r.k), int(r.n))
        for r in tallies.itertuples(index=False)
    }


def pandas_cells(cells: pd.DataFrame, *, pooled: bool) -> Cells:
    """The rebuild's cells keyed as ``hsreg_cells``; the pooled ones only when hsreg's tables
    have a pooled column (``pooled``)."""
    return {
        (str(r.indicator), str(r.level), str(r.key), int(r.year)): (int(r.k), int(r.n))
        for r in cells.itertuples(index=False)
        if int(r.n) and (pooled or int(r.year) != rp.POOLED)
    }


def months_disagree(frames: dict[str, pd.DataFrame]) -> tuple[int, list[str]]:
    """The rebuild's lubridate months against hsreg's ``guideline.followup.months_between``
    on every (intervention, linked doctor's control) pair of the database: how many pairs, and
    the first of those that differ."""
    from fractions import Fraction  # noqa: PLC0415

    from hsreg.guideline.followup import months_between  # noqa: PLC0415

    doctor = frames["doctor"]
    linked = doctor[doctor["intervention_id"].notna() & (doctor["occasion"] != "pre")]
    on = frames["interventions"].set_index("id")["date"]
    start = linked["intervention_id"].astype("int64").map(on)
    pairs = pd.DataFrame({"start": start, "end": linked["date"]}).dropna()
    pairs = pairs[pairs["end"] >= pairs["start"]].drop_duplicates()
    k, n = rp.lubridate_months(pairs["start"], pairs["end"])
    wrong = []
    for a, b, num, den in zip(pairs["start"], pairs["end"], k, n, strict=True):
        ours = months_between(a.date(), b.date())
        if Fraction(int(num), int(den)) != ours:
            wrong.append(f"  {a.date()} to {b.date()}: pandas {num}/{den}, hsreg {ours}")
    return len(pairs), wrong


# --- the distributions page with a filter -------------------------------------------------


def hsreg_distributions(*, year: int, as_of: date, filters: Any) -> list[Any]:
    """The distributions page's national counting (every figure of the annual report), as
    the coordinator sees it (exact counts)."""
    from hsreg.reports.distributions.counts import distributions  # noqa: PLC0415
    from hsreg.reports.distributions.protect import Reader  # noqa: PLC0415

    return distributions(year=year, as_of=as_of, reader=Reader(exact=True), filters=filters)


def pandas_units_figure(
    frames: dict[str, pd.DataFrame], *, year: int, as_of: date, sex: str, ages: tuple[int, int]
) -> dict[int, int]:
    """Figure 1 (episodes per unit) under the filter, with pandas (R: hisregUtvalg on
    HovedDato's year, erMann, PasientAlder in whole years at the intervention)."""
    iv = frames["interventions"].merge(
        frames["patients"].rename(columns={"id": "patient_id"}), on="patient_id"
    )
    iv = iv[(iv["date"].dt.year == year) & (iv["date"] <= pd.Timestamp(as_of))]
    on, born = iv["date"], iv["birth_date"]
    before = (born.dt.month * 100 + born.dt.day) > (on.dt.month * 100 + on.dt.day)
    age = on.dt.year - born.dt.year - before.astype("int64")
    chosen = iv[(iv["sex"] == sex) & (age >= ages[0]) & (age <= ages[1])]
    return {int(k): int(v) for k, v in chosen.groupby("unit_id").size().items()}


def filtered_run(
    args: argparse.Namespace, *, year: int, as_of: date, frames: dict[str, pd.DataFrame]
) -> bool:
    """Times the distributions page's national counting without and with the filter, and
    checks the filtered units' figure against pandas; False when they differ."""
    from hsreg.reports.distributions.filters import NO_FILTERS, Filters  # noqa: PLC0415

    ages = (args.filter_ages[0], args.filter_ages[1])
    chosen = Filters(sex=args.filter_sex, age_min=ages[0], age_max=ages[1])
    times: dict[str, list[float]] = {"without": [], "with": []}
    figures: list[Any] = []
    for attempt in range(args.repeat + 1):
        for name, filters in (("without", NO_FILTERS), ("with", chosen)):
            seconds, figures = timed(
                lambda f=filters: hsreg_distributions(year=year, as_of=as_of, filters=f)
            )
            if attempt:
                times[name].append(seconds)
    print(f"\nDistributions page, national counting of {year} (exact counts):")
    for name, label in (("without", "no filter"), ("with", f"filter: {', '.join(chosen.words())}")):
        low, median = summary(times[name])
        print(f"  {label:50} min {low:6.3f} s, median {median:6.3f} s")
    units = next(d for d in figures if d.id == "units")
    ours = {int(c.key): int(c.n) for c in units.categories if c.n}
    theirs = pandas_units_figure(frames, year=year, as_of=as_of, sex=chosen.sex or "", ages=ages)
    if ours != theirs:
        print(f"  the filtered units' figure differs: hsreg {ours}, pandas {theirs}")
        return False
    print(f"  filtered units' figure equal to pandas' count ({sum(ours.values()):,} episodes)")
    return True


# --- timing and the comparison ------------------------------------------------------------


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def differences(ours: dict[Any, tuple[int, int]], theirs: dict[Any, tuple[int, int]]) -> list[str]:
    lines = []
    for key in sorted(set(ours) | set(theirs)):
        a, b = ours.get(key), theirs.get(key)
        if a != b:
            lines.append(
                f"  {' '.join(map(str, key))}: hsreg "
                f"{'-' if a is None else f'{a[0]}/{a[1]}'}, pandas "
                f"{'-' if b is None else f'{b[0]}/{b[1]}'}"
            )
    return lines


def sizes(url: str, *, years: list[int], as_of: date) -> tuple[int, int, int]:
    """Patients in the database, finished interventions (episodes) of the report years, and
    the complete ones among them."""
    with psycopg.connect(url) as connection:
        patients = connection.execute("SELECT count(*) FROM patients_patient").fetchone()
        episodes = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE e.complete) "
            "FROM treatments_intervention i "
            "LEFT JOIN reports_episode e ON e.intervention_id = i.id "
            "WHERE i.status = 'finished' AND i.date BETWEEN %s AND %s AND i.date <= %s",
            [date(min(years), 1, 1), date(max(years), 12, 31), as_of],
        ).fetchone()
    return (
        int(patients[0]) if patients else 0,
        int(episodes[0]) if episodes else 0,
        int(episodes[1]) if episodes else 0,
    )


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
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="with --reuse: refill the stored episode facts with the current code (timed)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--edge-cases",
        action=argparse.BooleanOptionalAction,
        help="put the definitions' edge cases into the data (default: when seeded here)",
    )
    parser.add_argument("--workers", type=int, help="hsreg seed --workers (default one per CPU)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each way (5)")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, default=date.today(), help="the report date (today)"
    )
    parser.add_argument(
        "--year", type=int, help="the report's year (default the year before --as-of)"
    )
    parser.add_argument("--filter-sex", default="female", help="the filtered run's sex (female)")
    parser.add_argument(
        "--filter-ages",
        type=int,
        nargs=2,
        default=(18, 39),
        metavar=("FROM", "TO"),
        help="the filtered run's ages, both inclusive (18 39)",
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
    touched: dict[str, list[int]] = {}
    if args.edge_cases or (args.edge_cases is None and not existing):
        spread = max(len(reports_edges.CASES) + 4, (existing or patients) // 40)
        touched = reports_edges.apply(url, spread=spread)
        print(
            f"Edge cases put into the data: {sum(map(len, touched.values())):,} patients "
            f"altered in {len(touched)} cases (reports_edges.py)",
            flush=True,
        )
    try:
        return measure(
            args, url=url, year=year, refresh=bool(existing and args.refresh), touched=touched
        )
    finally:
        if not args.keep:
            from django.db import connections  # noqa: PLC0415

            connections.close_all()
            drop_database(args.admin_url, args.database)


def measure(
    args: argparse.Namespace,
    *,
    url: str,
    year: int,
    refresh: bool,
    touched: dict[str, list[int]],
) -> int:
    setup_django(url)
    from hsreg.reports.definitions import INDICATORS  # noqa: PLC0415
    from hsreg.reports.episodes import refresh_episodes  # noqa: PLC0415
    from hsreg.reports.indicators import report_years  # noqa: PLC0415

    if refresh or touched:
        print(f"ANALYZE of the database took {analyze(url):.1f} s", flush=True)
    if refresh:
        seconds, stored = timed(refresh_episodes)
        print(f"Refreshing the stored facts of {stored:,} episodes took {seconds:.1f} s")
    if touched:
        altered = sorted({p for patients in touched.values() for p in patients})
        seconds, stored = timed(lambda: refresh_episodes(patient_ids=altered))
        print(
            f"Refreshing the {stored:,} episodes of the {len(altered):,} altered patients "
            f"took {seconds:.1f} s"
        )

    print(f"ANALYZE of the database took {analyze(url):.1f} s", flush=True)
    years = report_years(year)
    as_of = args.as_of
    patients, episode_count, complete = sizes(url, years=years, as_of=as_of)

    hsreg_times: list[float] = []
    load_times: list[float] = []
    compute_times: list[float] = []
    report: HsregReport | None = None
    counted: pd.DataFrame | None = None
    cells: pd.DataFrame | None = None
    frames: dict[str, pd.DataFrame] = {}
    for attempt in range(args.repeat + 1):  # the first of each is untimed
        seconds, report = timed(lambda: hsreg_report(year=year, as_of=as_of))
        if attempt:
            hsreg_times.append(seconds)
        loading, frames = timed(lambda: rp.load(url))

        def compute(
            frames: dict[str, pd.DataFrame] = frames,
        ) -> tuple[pd.DataFrame, pd.DataFrame]:
            tallies = rp.tallies(frames, years=years, as_of=as_of)
            return tallies, rp.tables(tallies, frames["units"])

        computing, (counted, cells) = timed(compute)
        if attempt:
            load_times.append(loading)
            compute_times.append(computing)
        print(
            f"  run {attempt}{' (untimed)' if not attempt else ''}: hsreg {seconds:.3f} s, "
            f"pandas {loading:.3f} + {computing:.3f} s",
            flush=True,
        )
    if report is None or counted is None or cells is None:
        raise SystemExit("--repeat must be at least 1")

    ids = {i.id for i in INDICATORS}
    rebuilt = set(counted["indicator"])
    if not rebuilt <= ids:
        print(f"The pandas rebuild and reports.definitions differ in indicators: {rebuilt - ids}")
        return 1
    theirs = pandas_counts(counted)
    wrong = differences(report.counts, theirs)
    ours_cells = hsreg_cells(report)
    pooled = any(key[3] == rp.POOLED for key in ours_cells)
    theirs_cells = pandas_cells(cells, pooled=pooled)
    wrong_cells = differences(ours_cells, theirs_cells)
    pairs, wrong_months = months_disagree(frames)
    # R's hiding (D3) is primary suppression only: what R hides, hsreg hides too (hsreg may
    # hide more, its complements)
    r_hidden = {
        (str(r.indicator), str(r.level), str(r.key), int(r.year))
        for r in cells[cells["hidden"] & (cells["n"] > 0)].itertuples(index=False)
        if pooled or int(r.year) != rp.POOLED
    }
    shown_by_hsreg = sorted(r_hidden - hsreg_hidden(report))

    pandas_totals = [a + b for a, b in zip(load_times, compute_times, strict=True)]
    h_min, h_med = summary(hsreg_times)
    l_min, l_med = summary(load_times)
    c_min, c_med = summary(compute_times)
    p_min, p_med = summary(pandas_totals)
    speedup = p_med / h_med
    print(
        f"\n{patients:,} patients, {episode_count:,} episodes in {years[0]}-{years[-1]} "
        f"({complete:,} complete); {len(report.counts):,} tallies (indicator x unit x year), "
        f"{len(report.tables)} tables with {sum(len(t.rows) for t in report.tables):,} rows, "
        f"{len(ours_cells):,} cells with a denominator"
        f"{' (pooled column included)' if pooled else ' (hsreg has no pooled column)'}; "
        f"{args.repeat} timed runs each; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'':34} {'min s':>8} {'median s':>9}")
    print(f"{'hsreg (all tables, every level)':34} {h_min:8.3f} {h_med:9.3f}")
    print(f"{'pandas: load':34} {l_min:8.3f} {l_med:9.3f}")
    print(f"{'pandas: compute':34} {c_min:8.3f} {c_med:9.3f}")
    print(f"{'pandas: load + compute':34} {p_min:8.3f} {p_med:9.3f}")
    met_time = h_med < TARGET_SECONDS
    met_speed = speedup >= TARGET_SPEEDUP
    print(f"speed-up (median pandas / median hsreg): {speedup:.1f}x")
    print(f"target: hsreg < {TARGET_SECONDS:g} s: {'met' if met_time else 'MISSED'}")
    print(f"target: >= {TARGET_SPEEDUP:g}x faster than pandas: {'met' if met_speed else 'MISSED'}")

    agree = filtered_run(args, year=year, as_of=as_of, frames=frames)
    print(
        f"\nlubridate months: {pairs:,} (intervention, doctor's control) pairs, "
        f"{len(wrong_months)} differ from guideline.followup.months_between"
    )
    print("\n".join(wrong_months[:20]))
    if wrong:
        print(f"\nThe tallies differ in {len(wrong)} of {len(set(report.counts) | set(theirs))}:")
        print("\n".join(wrong[:20]))
    if wrong_cells:
        total = len(set(ours_cells) | set(theirs_cells))
        print(f"\nThe tables' cells differ in {len(wrong_cells)} of {total}:")
        print("\n".join(wrong_cells[:20]))
    if shown_by_hsreg:
        print(f"\n{len(shown_by_hsreg)} cells R hides (D3) are shown by hsreg:")
        print("\n".join(f"  {' '.join(map(str, key))}" for key in shown_by_hsreg[:20]))
    if wrong or wrong_cells or wrong_months or shown_by_hsreg or not agree:
        return 1
    print(
        f"\nAgreement: all {len(theirs):,} tallies and all {len(theirs_cells):,} table cells "
        f"equal (numerator and denominator); the {len(r_hidden):,} cells R hides are hidden."
    )
    if args.enforce and not (met_time and met_speed):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
