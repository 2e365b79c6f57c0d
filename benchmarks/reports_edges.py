"""Edge cases of the indicator definitions (issue 16: D1, D2, D7) put into a seeded benchmark
database, so that hsreg's tallies and the pandas rebuild are compared where the definitions
bite: the seeded histories are all regular (every episode complete, every control well inside
its window), and two ways that agree there may still differ at a boundary.

``apply`` alters the finished forms of a sample of patients (``patient_id % spread`` picks the
patients of each case, about ``patients / spread`` each) with plain SQL, as a registry's
corrections would, and returns the patients touched; the caller refreshes their stored episode
facts with hsreg's own ``refresh_episodes`` (what a form's save does).

The cases, each named by the definition it probes:

- D1, own pre forms and completeness: a patient's last before-treatment doctor's form back to
  draft (an episode without its own form, or with an older own baseline); the earliest patient's
  pre report back to draft; every medical history back to draft (no episode complete); the
  second intervention moved to the first's day (a tie: the lower id claims the pre forms); the
  first moved to the second's day; a pre form moved to the day of the patient's previous
  intervention (it belongs to that one now); the latest pre report a CDLQI (no DLQI baseline
  from it, XB-6).
- D2, the doctor's control: its date one day before, on, and one day after each bound of the
  window in lubridate's months (2.5 and 5.5 months, 5 and 8 months: the strict bounds); a
  control dated before the intervention; the latest control back to draft (an earlier one, or
  none, decides); a second control of the same occasion four months after the first (outside
  the window: R counts the episode done when any of its controls lies inside).
- D7, the referral: 12 months (not within a year), 11 months, no months and the same ages, no
  months and no age at the first GP visit.
"""

# ruff: noqa: S608 - the statements are built from this module's constants only

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pandas as pd
import psycopg

import reports_pandas as rp

#: the interventions of each patient ranked by (date, id), finished only
RANKED = (
    "ranked AS (SELECT id, patient_id, date, row_number() OVER (PARTITION BY patient_id "
    "ORDER BY date, id) AS r FROM treatments_intervention WHERE status = 'finished' "
    "AND patient_id %% %(m)s = %(k)s)"
)
LATEST_PRE = (
    "SELECT max(id) FROM {table} WHERE status = 'finished' AND occasion = 'pre' "
    "AND patient_id %% %(m)s = %(k)s GROUP BY patient_id"
)
CASES: dict[str, str] = {
    "last pre doctor's form a draft": "UPDATE assessments_doctorassessment SET status = 'draft' "
    f"WHERE id IN ({LATEST_PRE.format(table='assessments_doctorassessment')}) "
    "RETURNING patient_id",
    "first pre report a draft": "UPDATE assessments_patientreport SET status = 'draft' "
    "WHERE id IN (SELECT min(id) FROM assessments_patientreport WHERE status = 'finished' "
    "AND occasion = 'pre' AND patient_id %% %(m)s = %(k)s GROUP BY patient_id) "
    "RETURNING patient_id",
    "no finished medical history": "UPDATE assessments_medicalhistory SET status = 'draft' "
    "WHERE status = 'finished' AND patient_id %% %(m)s = %(k)s RETURNING patient_id",
    "second intervention on the first's day": f"WITH {RANKED} "
    "UPDATE treatments_intervention i SET date = r1.date FROM ranked r1, ranked r2 "
    "WHERE r1.patient_id = r2.patient_id AND r1.r = 1 AND r2.r = 2 AND i.id = r2.id "
    "RETURNING i.patient_id",
    "first intervention on the second's day": f"WITH {RANKED} "
    "UPDATE treatments_intervention i SET date = r2.date FROM ranked r1, ranked r2 "
    "WHERE r1.patient_id = r2.patient_id AND r1.r = 1 AND r2.r = 2 AND i.id = r1.id "
    "RETURNING i.patient_id",
    "pre doctor's form on the previous intervention's day": f"WITH {RANKED}, "
    "moved AS (SELECT max(d.id) AS id, r1.date FROM assessments_doctorassessment d "
    "JOIN ranked r1 ON r1.patient_id = d.patient_id AND r1.r = 1 "
    "JOIN ranked r2 ON r2.patient_id = d.patient_id AND r2.r = 2 "
    "WHERE d.status = 'finished' AND d.occasion = 'pre' AND d.date > r1.date "
    "AND d.date <= r2.date GROUP BY d.patient_id, r1.date) "
    "UPDATE assessments_doctorassessment d SET date = moved.date FROM moved "
    "WHERE d.id = moved.id RETURNING d.patient_id",
    "pre report on the previous intervention's day": f"WITH {RANKED}, "
    "moved AS (SELECT max(d.id) AS id, r1.date FROM assessments_patientreport d "
    "JOIN ranked r1 ON r1.patient_id = d.patient_id AND r1.r = 1 "
    "JOIN ranked r2 ON r2.patient_id = d.patient_id AND r2.r = 2 "
    "WHERE d.status = 'finished' AND d.occasion = 'pre' AND d.date > r1.date "
    "AND d.date <= r2.date GROUP BY d.patient_id, r1.date) "
    "UPDATE assessments_patientreport d SET date = moved.date FROM moved "
    "WHERE d.id = moved.id RETURNING d.patient_id",
    "latest pre report a CDLQI": "UPDATE assessments_patientreport SET dlqi_instrument = "
    f"'cdlqi' WHERE id IN ({LATEST_PRE.format(table='assessments_patientreport')}) "
    "RETURNING patient_id",
    "doctor's control before the intervention": "UPDATE assessments_doctorassessment d "
    "SET date = i.date - 10 FROM treatments_intervention i WHERE i.id = d.intervention_id "
    "AND d.occasion IN ('3m', '6m') AND d.status = 'finished' "
    "AND d.patient_id %% %(m)s = %(k)s RETURNING d.patient_id",
    "latest doctor's control a draft": "UPDATE assessments_doctorassessment SET status = "
    "'draft' WHERE id IN (SELECT max(id) FROM assessments_doctorassessment "
    "WHERE status = 'finished' AND occasion IN ('3m', '6m') AND intervention_id IS NOT NULL "
    "AND patient_id %% %(m)s = %(k)s GROUP BY intervention_id) RETURNING patient_id",
    "referral: 12 months": "UPDATE assessments_medicalhistory SET months_gp_to_specialist = 12 "
    "WHERE patient_id %% %(m)s = %(k)s RETURNING patient_id",
    "referral: 11 months": "UPDATE assessments_medicalhistory SET months_gp_to_specialist = 11 "
    "WHERE patient_id %% %(m)s = %(k)s RETURNING patient_id",
    "referral: no months, the same ages": "UPDATE assessments_medicalhistory SET "
    "months_gp_to_specialist = NULL, age_first_gp = age_diagnosis "
    "WHERE patient_id %% %(m)s = %(k)s RETURNING patient_id",
    "referral: no months, no age at the GP": "UPDATE assessments_medicalhistory SET "
    "months_gp_to_specialist = NULL, age_first_gp = NULL "
    "WHERE patient_id %% %(m)s = %(k)s RETURNING patient_id",
}
#: a copy of each doctor's control, dated four months later (outside its window): an
#: episode with two controls of one occasion, the earlier inside the window (R: done)
SECOND_CONTROL = (
    "INSERT INTO assessments_doctorassessment ({columns}) SELECT {values} "
    "FROM assessments_doctorassessment WHERE status = 'finished' AND occasion IN ('3m', '6m') "
    "AND intervention_id IS NOT NULL AND patient_id %% %(m)s = %(k)s RETURNING patient_id"
)
BOUNDS = {"3m": (Fraction(5, 2), Fraction(11, 2)), "6m": (Fraction(5), Fraction(8))}
BOUNDARY_CASES = 2  # patients of two remainders get their controls moved to the bounds


def _first_day_at(on: pd.Timestamp, bound: Fraction) -> pd.Timestamp:
    """The first day whose lubridate months after ``on`` are ``bound`` or more."""
    days = pd.Series([on + timedelta(days=d) for d in range(int(bound * 28), int(bound * 32) + 2)])
    k, n = rp.lubridate_months(pd.Series([on] * len(days)), days)
    at = [i for i in range(len(days)) if Fraction(int(k[i]), int(n[i])) >= bound]
    return days[at[0]]


def _controls_to_bounds(connection: psycopg.Connection, *, m: int, k: int) -> list[int]:
    """Moves the doctor's controls of the patients ``k`` (mod ``m``) to a day before, on or
    after a bound of their window (by the form's id)."""
    rows = connection.execute(
        "SELECT d.id, d.patient_id, d.occasion, i.date FROM assessments_doctorassessment d "
        "JOIN treatments_intervention i ON i.id = d.intervention_id "
        "WHERE d.occasion IN ('3m', '6m') AND d.status = 'finished' AND d.patient_id %% %s = %s",
        [m, k],
    ).fetchall()
    touched = []
    for form, patient, occasion, on in rows:
        bound = BOUNDS[occasion][form % 2]
        day = _first_day_at(pd.Timestamp(on), bound) + timedelta(days=(form // 2) % 3 - 1)
        connection.execute(
            "UPDATE assessments_doctorassessment SET date = %s WHERE id = %s",
            [day.date(), form],
        )
        touched.append(patient)
    return touched


def apply(url: str, *, spread: int) -> dict[str, list[int]]:
    """Puts every case into the database at ``url``: the patients touched per case."""
    touched: dict[str, list[int]] = {}
    with psycopg.connect(url) as connection:
        for k, (name, statement) in enumerate(CASES.items(), start=1):
            rows = connection.execute(statement, {"m": spread, "k": k}).fetchall()
            touched[name] = sorted({int(r[0]) for r in rows})
        for k in range(len(CASES) + 1, len(CASES) + 1 + BOUNDARY_CASES):
            name = f"doctor's controls at the window's bounds ({k})"
            touched[name] = sorted(set(_controls_to_bounds(connection, m=spread, k=k)))
        columns = [
            r[0]
            for r in connection.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'assessments_doctorassessment' AND column_name <> 'id' "
                "ORDER BY ordinal_position"
            ).fetchall()
        ]
        values = {"date": "date + 122", "replaces_id": "NULL"}
        statement = SECOND_CONTROL.format(
            columns=", ".join(columns), values=", ".join(values.get(c, c) for c in columns)
        )
        k = len(CASES) + 1 + BOUNDARY_CASES
        rows = connection.execute(statement, {"m": spread, "k": k}).fetchall()
        touched["a second doctor's control, later, outside the window"] = sorted(
            {int(r[0]) for r in rows}
        )
    return touched
