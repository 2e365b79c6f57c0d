"""The national quality-indicator report rebuilt the way the real registry's Rapporteket (R)
builds it: every table read into data frames (hisregHentData, ``R/lastShinyHisreg.R``), the
episodes put together there and the indicators of ``inst/hisregIndikatorer_2022.R`` counted
with pandas, as issue 16 decided them (``/work/team/DEFINITIONS.md``, D1, D2, D3, D7).

It is the benchmark's second opinion on hsreg's numbers (benchmarks/bench_reports.py), so it
shares nothing with hsreg's counting but the thresholds of the guideline (hsreg.guideline.scores,
reports.definitions' answer codes): the episodes' own forms, completeness, the doctor's control
dates, lubridate's months and the windows are worked out here again, with merges and numpy
instead of sub-selects and Python's ``fractions``.

- **Complete episodes** (D1; R: the inner merges of preintervention, preinterventiondoctor,
  intervention and registration, all STATUS == 1): a finished intervention with its own
  finished before-treatment doctor's and patient's forms, of a patient with a finished medical
  history. A "pre" form belongs to the patient's first finished intervention dated on or after
  it (on one day the lowest id; the HISREG export's EPISODE_ID): ``pd.merge_asof`` forward.
  The baseline is the latest (date, id) of the episode's own pre forms.
- **Control done** (D2; R: ``time_length(interval(HovedDato, c_date), "month")``, strict
  bounds): c_date is a finished doctor's control of the matching occasion linked to the
  intervention, any of them (R: ``max(Variabel)`` per MCEID over the rows the merge of the
  controls gives); months as lubridate counts them (``lubridate_months``, exact integers);
  years 2016 on; an episode whose window has not closed on the report date is left out (hsreg's
  documented deviation 2, followed here so the tallies compare).
- **Referral** (D7; R: ``aux[order(aux$HovedDato), ]``, first row per PasientID,
  ``tid_almlege_spes_kombo == 0``, ``Aar %in% 2015:rapp_aar``): each patient once, at the first
  complete episode over all years, achieved under 12 months (R's 0 whole years), or without
  the months the same age at the first GP visit and at the diagnosis.
- **Pooled three years** (D3; ``hisregFigIndikator_aarsamlet``): per row the numerator and
  denominator summed over the report's three years, with the exact interval.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import psycopg
from scipy.stats import beta

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
    "an_count, abscesses, draining_tunnels, bmi, control_possible "
    "FROM assessments_doctorassessment WHERE status = 'finished'",
    "patient_reports": "SELECT id, patient_id, unit_id, date, occasion, intervention_id, "
    "dlqi_instrument, dlqi_total, vas_total, smoking, satisfaction, wound_infection, "
    "delayed_healing, scar_problems, nerve_damage, sepsis, bleeding, other_complications "
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
TEXT = {"occasion", "drug", "sex", "name", "health_trust", "region", "dlqi_instrument"}
DECIMALS = {"vas_total", "bmi"}
IDS = {"id", "patient_id", "unit_id", "resh_id"}  # never empty: whole numbers
SURGICAL, MEDICAL = (1, 3), (2, 3)  # TYPE_INTERVENTION (R: ForlopsType1Num %in% c(1,3), 2:3)
#: R: ``Aar >= 2016`` (indicators 7 and 8), ``Aar %in% 2015:rapp_aar`` (indicator 1)
CONTROLS_FROM, REFERRAL_FROM = 2016, 2015
#: R: ``tid_almlege_spes_kombo == 0`` whole years; hsreg stores months: under 12
REFERRAL_UNDER_MONTHS = 12
#: the indicators' windows in months as (numerator, denominator) pairs, both bounds excluded
#: (R: ``tid_beh_oppf > 2.5 & tid_beh_oppf < 5.5``, ``> 5 & < 8``)
WINDOWS = {"3m": ((5, 2), (11, 2)), "6m": ((5, 1), (8, 1))}
REFERRAL = "hisreg_henvist_spesialist_1aar"
#: D2: R reads CONTROL_DATE of every doctor's control, also of one that says the control could
#: not be done (CONTROL_POSSIBLE 0); hsreg leaves those out (a documented deviation: a form
#: saying the patient did not attend is no control), and so does the rebuild; True gives R's
IMPOSSIBLE_CONTROLS_COUNT = False


def load(url: str) -> dict[str, pd.DataFrame]:
    """Every finished form, patient and unit as typed data frames: dates as datetime64, ids as
    int64, counts and codes as float (NaN for an empty answer), the 0-10 scales and BMI as
    float."""
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
                elif column in IDS:
                    frame[column] = frame[column].astype("int64")
                elif column not in TEXT:
                    frame[column] = frame[column].astype("float64")
            frames[name] = frame
    return frames


# --- lubridate's months -------------------------------------------------------------------


def _add_months(month: np.ndarray, day: np.ndarray, months: np.ndarray) -> np.ndarray:
    """lubridate's ``add_with_rollback(start, months(n), roll_to_first = TRUE)``: the start's
    day of the month ``months`` later, or the first day of the month after when that month
    has no such day (31 January + 1 month = 1 March). ``month`` is the start's month as months
    since 1970-01, ``day`` its day of the month."""
    target = (month + months).astype("datetime64[M]")
    first = target.astype("datetime64[D]")
    following = (target + 1).astype("datetime64[D]")
    length = (following - first).astype("int64")
    return np.where(day <= length, first + (day - 1), following)


def lubridate_months(start: pd.Series, end: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Months from ``start`` to ``end`` as lubridate's ``time_length(interval(start, end),
    "month")`` computes them, exactly, as (numerator, denominator) in days: the interval's
    whole months (``.int_to_period``: calendar months, one less when the end's day of the month
    is before the start's), then the days since that anniversary over the days to the next one
    (both by ``add_with_rollback``). An end before the start (or missing) gives -1/1: no window
    holds it."""
    s = start.to_numpy(dtype="datetime64[D]")
    e = end.to_numpy(dtype="datetime64[D]")
    missing = np.isnat(s) | np.isnat(e)
    s = np.where(missing, np.datetime64("2000-01-01"), s)
    e = np.where(missing, np.datetime64("2000-01-01"), e)
    s_month = s.astype("datetime64[M]").astype("int64")
    e_month = e.astype("datetime64[M]").astype("int64")
    s_day = (s - s.astype("datetime64[M]").astype("datetime64[D]")).astype("int64") + 1
    e_day = (e - e.astype("datetime64[M]").astype("datetime64[D]")).astype("int64") + 1
    whole = e_month - s_month - (e_day < s_day)
    previous = _add_months(s_month, s_day, whole)
    following = _add_months(s_month, s_day, whole + 1)
    length = (following - previous).astype("int64")
    numerator = whole * length + (e - previous).astype("int64")
    bad = missing | (e < s)
    return np.where(bad, -1, numerator), np.where(bad, 1, length)


def inside(months: tuple[np.ndarray, np.ndarray], window: str) -> np.ndarray:
    """Strictly inside the indicator's window of ``window`` ("3m", "6m"), compared exactly."""
    (lo_p, lo_q), (hi_p, hi_q) = WINDOWS[window]
    k, n = months
    return (k * lo_q > lo_p * n) & (k * hi_q < hi_p * n)


def window_closed(on: pd.Series, *, as_of: date, window: str) -> np.ndarray:
    """The window of ``window`` after ``on`` has closed on ``as_of`` as hsreg counts it (the
    window's last day before ``as_of``: on that last day a control can still come):
    ``as_of`` itself lies at or beyond the window's upper bound."""
    (_lo, (hi_p, hi_q)) = WINDOWS[window]
    after = pd.Series(pd.Timestamp(as_of), index=on.index)
    k, n = lubridate_months(on, after)
    return k * hi_q >= hi_p * n


# --- the episodes -------------------------------------------------------------------------


def _latest(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """The latest row (by date, then id) of each ``by``."""
    return frame.sort_values(["date", "id"]).drop_duplicates(by, keep="last")


def owners(forms: pd.DataFrame, interventions: pd.DataFrame) -> pd.DataFrame:
    """The finished "pre" forms of ``forms`` with the intervention each belongs to
    (``owner``): the patient's first finished intervention dated on or after the form, on one
    day the lowest id (HISREG's EPISODE_ID); forms after the patient's last intervention go."""
    first_of_day = interventions.sort_values(["patient_id", "date", "id"]).drop_duplicates(
        ["patient_id", "date"]
    )
    right = first_of_day.rename(columns={"id": "owner", "date": "owner_date"})
    right = right[["patient_id", "owner_date", "owner"]].sort_values("owner_date")
    pre = forms[forms["occasion"] == "pre"].sort_values("date")
    found = pd.merge_asof(
        pre, right, left_on="date", right_on="owner_date", by="patient_id", direction="forward"
    )
    found = found[found["owner"].notna()]
    return found.astype({"owner": "int64"})


def _linked(forms: pd.DataFrame) -> pd.DataFrame:
    linked = forms[forms["intervention_id"].notna()]
    return linked.astype({"intervention_id": "int64"})


def episodes(t: dict[str, pd.DataFrame], *, first: int, last: int, as_of: date) -> pd.DataFrame:
    """One row per finished intervention of the years ``first``-``last`` on or before
    ``as_of``, with whether it is complete, whether it is its patient's first complete one,
    its own baseline, its control and the facts the indicators read."""
    from hsreg.guideline.catalog import DRUGS  # noqa: PLC0415

    iv = t["interventions"]
    doctor, reports = t["doctor"], t["patient_reports"]
    history = _latest(t["histories"], "patient_id").set_index("patient_id")

    # D1: complete episodes, over all the patients' interventions (the first complete one
    # may lie before the report's years)
    own_doctor = owners(doctor, iv)
    own_reports = owners(reports, iv)
    complete = (
        iv["id"].isin(own_doctor["owner"])
        & iv["id"].isin(own_reports["owner"])
        & iv["patient_id"].isin(history.index)
    )
    firsts = iv[complete].sort_values(["date", "id"]).drop_duplicates("patient_id")["id"]

    end = min(pd.Timestamp(last, 12, 31), pd.Timestamp(as_of))
    e = iv[(iv["date"] >= pd.Timestamp(first, 1, 1)) & (iv["date"] <= end)].copy()
    e["complete"] = e["id"].isin(iv.loc[complete, "id"])
    e["first_complete"] = e["id"].isin(firsts)
    e["year"] = e["date"].dt.year
    e["surgical"] = e["type"].isin(SURGICAL)
    e["medical"] = e["type"].isin(MEDICAL)
    e["judged_at"] = np.where(e["surgical"], "6m", "3m")

    # the baseline: the latest of the episode's own pre forms
    def base(own: pd.DataFrame, columns: list[str]) -> None:
        nonlocal e
        latest = _latest(own, "owner")[["owner", *columns]]
        latest = latest.rename(columns={"owner": "id", **{c: f"base_{c}" for c in columns}})
        e = e.merge(latest, on="id", how="left")

    base(own_doctor, ["ihs4", "hurley", "an_count", "abscesses", "draining_tunnels", "bmi"])
    base(own_reports, ["vas_total", "smoking"])
    # XB-6: the DLQI before and after are DLQIs (a CDLQI is on another scale)
    base(own_reports[own_reports["dlqi_instrument"] == "dlqi"], ["dlqi_total"])

    # the control: the latest finished form linked to the intervention at its judging occasion
    judged = e[["id", "judged_at"]].rename(columns={"id": "intervention_id"})
    for forms, columns in (
        (doctor, ["ihs4", "hurley", "an_count", "abscesses", "draining_tunnels"]),
        (reports, ["vas_total", "satisfaction"]),
        (reports[reports["dlqi_instrument"] == "dlqi"], ["dlqi_total"]),
    ):
        linked = _linked(forms).merge(judged, on="intervention_id")
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
    linked = _linked(reports).merge(judged, on="intervention_id")
    linked = linked[linked["occasion"] == linked["judged_at"]]
    answers = linked[list(COMPLICATIONS)]
    linked = linked.assign(answered=answers.isin([0, 1]).any(axis=1), yes=answers.eq(1).any(axis=1))
    per = linked.groupby("intervention_id")[["answered", "yes"]].any()
    e["complications_answered"] = e["id"].map(per["answered"]).fillna(False).astype(bool)
    e["complication"] = e["id"].map(per["yes"]).fillna(False).astype(bool)

    # D2: R's c_date, a doctor's control of the matching occasion, in lubridate's months after
    # the intervention, strictly inside the window. Any of them: R's merge of doctorcontrol
    # by MCEID gives an episode one row per control, and ``summarise(Variabel =
    # max(Variabel))`` per MCEID counts it done when one of them lies inside.
    on = e.set_index("id")["date"]
    controls = _linked(doctor)
    controls = controls[controls["intervention_id"].isin(on.index)]
    if not IMPOSSIBLE_CONTROLS_COUNT:
        controls = controls[controls["control_possible"] != 0]
    for window, kind in (("3m", "medical"), ("6m", "surgical")):
        of = controls[controls["occasion"] == window]
        started = of["intervention_id"].map(on)
        done = of.loc[inside(lubridate_months(started, of["date"]), window), "intervention_id"]
        e[f"followup_{window}_done"] = e["id"].isin(done)
        e[f"followup_{window}_due"] = (
            e[kind]
            & (e["year"] >= CONTROLS_FROM)
            & window_closed(e["date"], as_of=as_of, window=window)
        )

    # a biologic started: a finished drug course linked to it with a biologic drug
    biologics = {d.id for d in DRUGS.values() if d.biologic}
    drugs = t["drugs"]
    e["biologic"] = e["id"].isin(
        set(drugs.loc[drugs["drug"].isin(biologics), "intervention_id"].dropna().astype("int64"))
    )
    # the patient's latest finished medical history: prior antibiotics, the referral's answers
    for column in (
        "medication_antibiotic",
        "months_gp_to_specialist",
        "age_first_gp",
        "age_diagnosis",
    ):
        e[column] = e["patient_id"].map(history[column])
    return e


# --- the indicators -----------------------------------------------------------------------


def _both(e: pd.DataFrame, column: str) -> pd.Series:
    return e[f"base_{column}"].notna() & e[f"ctl_{column}"].notna()


def masks(e: pd.DataFrame) -> dict[str, tuple[pd.Series, pd.Series]]:
    """Each indicator's (denominator, numerator) as boolean columns over the complete
    episodes ``e``: a comparison with NaN is False, as SQL's NULL fails a filter."""
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

    antibiotics = e["medication_antibiotic"].isin(ANTIBIOTICS_USED)
    biologic_dlqi = e["biologic"] & e["base_dlqi"].notna()
    months = e["months_gp_to_specialist"]
    return {
        REFERRAL: (
            e["first_complete"]
            & (e["year"] >= REFERRAL_FROM)
            & (months.notna() | (e["age_first_gp"].notna() & e["age_diagnosis"].notna())),
            (months < REFERRAL_UNDER_MONTHS)
            | (months.isna() & (e["age_diagnosis"] == e["age_first_gp"])),
        ),
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


def tallies(t: dict[str, pd.DataFrame], *, years: list[int], as_of: date) -> pd.DataFrame:
    """Long table of (indicator, unit_id, year, k, n) over the complete episodes (D1), only
    denominators > 0."""
    e = episodes(t, first=min(years), last=max(years), as_of=as_of)
    e = e[e["complete"]]
    parts = []
    for indicator, (denominator, numerator) in masks(e).items():
        counted = pd.DataFrame(
            {
                "unit_id": e["unit_id"],
                "year": e["year"],
                "n": denominator.astype("int64"),
                "k": (denominator & numerator).astype("int64"),
            }
        )
        sums = counted.groupby(["unit_id", "year"], as_index=False)[["k", "n"]].sum()
        parts.append(sums[sums["n"] > 0].assign(indicator=indicator))
    return pd.concat(parts, ignore_index=True)


#: the column of the pooled three years (R: hisregFigIndikator_aarsamlet) in ``tables``
POOLED = 0
#: R's terskel: hisregIndikator's threshold (10 for complications), and the pooled figure's
#: (hisregFigIndikator_aarsamlet: 5 for every indicator)
TERSKEL, TERSKEL_COMPLICATIONS, TERSKEL_POOLED = 5, 10, 5


def tables(counted: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The report's cells at every level: sums per unit, trust, region and nation, per year
    and pooled over the years (``year`` = POOLED), each with whether R hides it (``_hidden``),
    its share and exact (Clopper-Pearson) 95 % interval in per cent."""
    u = units.rename(columns={"resh_id": "unit_id"})
    merged = counted.merge(u, on="unit_id")
    merged["unit"] = merged["unit_id"].astype(str)
    merged["nation"] = "nation"
    pooled = merged.assign(year=POOLED)
    both = pd.concat([merged, pooled], ignore_index=True)
    levels = []
    for level, column in (
        ("unit", "unit"),
        ("trust", "health_trust"),
        ("region", "region"),
        ("nation", "nation"),
    ):
        sums = both.groupby(["indicator", column, "year"], as_index=False)[["k", "n"]].sum()
        levels.append(sums.rename(columns={column: "key"}).assign(level=level))
    cells = pd.concat(levels, ignore_index=True)
    cells["hidden"] = _hidden(cells)
    k, n = cells["k"].to_numpy(), cells["n"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        cells["percent"] = 100 * k / n
        cells["ci_low"] = 100 * np.where(k == 0, 0.0, beta.ppf(0.025, k, n - k + 1))
        cells["ci_high"] = 100 * np.where(k == n, 1.0, beta.ppf(0.975, k + 1, n - k))
    return cells


def _hidden(cells: pd.DataFrame) -> pd.Series:
    """Whether R hides each cell (D3): a year under the threshold, and every year of a row
    whose latest year is under it (``hisregIndikator``: ``andeler[N[, last] < terskel, 2:3]
    <- NA``, every row); the pooled figure only under its own threshold of 5
    (``hisregFigIndikator_aarsamlet``: ``andeler[N < terskel] <- NA``)."""
    threshold = np.where(cells["indicator"] == "hisreg_kompl_kir", TERSKEL_COMPLICATIONS, TERSKEL)
    yearly = cells["year"] != POOLED
    last = cells.loc[yearly, "year"].max()
    latest = cells[cells["year"] == last].set_index(["indicator", "level", "key"])["n"]
    row = pd.MultiIndex.from_frame(cells[["indicator", "level", "key"]])
    latest_n = pd.Series(latest.reindex(row).fillna(0).to_numpy(), index=cells.index)
    return pd.Series(
        np.where(
            yearly,
            (cells["n"] < threshold) | (latest_n < threshold),
            cells["n"] < TERSKEL_POOLED,
        ),
        index=cells.index,
    )
