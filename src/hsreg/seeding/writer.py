"""Writes generated patients into the database, fast.

Patients are generated and inserted in chunks, each chunk in one transaction: every model's
rows in one go (a correction after the form it replaces), then the due items computed in
memory from the same forms (`cases.due_items`): no per-patient query, no `refresh_patient`.

- SQLite (the demo): `bulk_create`, one process. 2,000 patients take seconds.
- PostgreSQL: ids are drawn from the tables' sequences and the rows go in with ``COPY``,
  which skips the SQL each `bulk_create` would compile; and chunks are built and written by
  several processes at once (each with its own connection and transaction), since building a
  history and evaluating it costs as much as writing it.

This bypasses `records.services.save_record` on purpose: the forms are generated finished and
consistent (scores from assessments.scoring), and the due items its hook would compute are
computed here by the same functions.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time as clock
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, connections, models, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from psycopg.types.json import Jsonb

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport, RegionFinding
from hsreg.patients.models import CareRelationship, Enrolment, Patient, SharingConsent
from hsreg.reports.episodes import refresh_episodes
from hsreg.treatments.models import (
    AdverseEvent,
    DrugCourse,
    Intervention,
    LabCheck,
    Screening,
    Vaccination,
)
from hsreg.worklists.models import DueItem

from .cases import due_items
from .coverage import seed_npr_counts
from .delegations import seed_approvals
from .generator import Identity, generate_one, identities
from .journey import Options, SeededPatient
from .units import SHOWCASE, ensure_units

CHUNK = 250  # patients per transaction
BATCH = 2000  # rows per INSERT statement (bulk_create)
EMAIL_PREFIX, EMAIL_DOMAIN = "pasient-", "@example.org"

#: the form lists of a SeededPatient in insertion order (parents before the forms naming them)
FORMS: tuple[tuple[str, type[models.Model]], ...] = (
    ("histories", MedicalHistory),
    ("interventions", Intervention),
    ("courses", DrugCourse),
    ("assessments", DoctorAssessment),
    ("findings", RegionFinding),
    ("reports", PatientReport),
    ("screenings", Screening),
    ("vaccinations", Vaccination),
    ("labs", LabCheck),
    ("adverse_events", AdverseEvent),
)


@dataclass
class Summary:
    """What a seeding run wrote."""

    patients: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    stories: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    workers: int = 1

    def add(self, other: Summary) -> None:
        self.patients += other.patients
        self.rows.update(other.rows)
        self.stories.update(other.stories)


# --- inserting rows -----------------------------------------------------------------------


def _copy(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """PostgreSQL: ids from the table's sequence, then one ``COPY`` of every row. Sets what
    `bulk_create` would: the primary keys, the foreign key ids of related objects saved
    before, the auto_now dates, and the instances' saved state."""
    meta = model._meta
    pk = meta.pk
    assert pk is not None  # noqa: S101 - every concrete model has one
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objects)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    now = timezone.now()
    fields = meta.concrete_fields
    relations = [f for f in fields if f.is_relation]
    for obj, new_id in zip(objects, ids, strict=True):
        obj.pk = new_id
        for f in relations:
            if getattr(obj, f.attname) is None and f.is_cached(obj):  # type: ignore[attr-defined]
                related = f.get_cached_value(obj)  # type: ignore[attr-defined]
                if related is not None:
                    setattr(obj, f.attname, related.pk)
        for f in fields:
            if getattr(f, "auto_now", False) or (
                getattr(f, "auto_now_add", False) and getattr(obj, f.attname) is None
            ):
                setattr(obj, f.attname, now)
        obj._state.adding = False
        obj._state.db = connection.alias
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    attnames = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            values = obj.__dict__
            copy.write_row([Jsonb(values[a]) if a in json_fields else values[a] for a in attnames])


def _bulk(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    if connection.vendor == "postgresql":
        _copy(model, objects)
    else:
        model._default_manager.bulk_create(objects, batch_size=BATCH)


def _insert(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Inserts ``objects``; a form that corrects another goes in after it (its ``replaces``
    needs the other's id), which keeps each patient's forms in id order as generated."""
    if not objects:
        return
    corrections = [o for o in objects if getattr(o, "replaces", None) is not None]
    _bulk(model, [o for o in objects if getattr(o, "replaces", None) is None])
    if corrections:
        _bulk(model, corrections)


SEEDED_CONSENT = "Shared care (synthetic)"


def write_chunk(chunk: Sequence[SeededPatient], *, today: date) -> Summary:
    """Inserts one chunk of patients with every form and their due items, in one transaction."""
    summary = Summary(patients=len(chunk))
    with transaction.atomic():
        _insert(Patient, [s.patient for s in chunk])
        _give_emails(chunk)
        enrolments = [
            Enrolment(
                patient=s.patient,
                unit_id=unit_id,
                # the unit that registered the patient first needs no care relationship
                care_relationship=CareRelationship.SHARED_CARE if position else "",
            )
            for s in chunk
            for position, unit_id in enumerate(s.unit_ids)
        ]
        _insert(Enrolment, enrolments)
        summary.rows["enrolments"] += len(enrolments)
        # A patient followed at several units in shared care has consented to the sharing at
        # each of them (issue 11: without it, a unit sees only its own forms).
        consents = [
            SharingConsent(patient=s.patient, unit_id=unit_id, reason=SEEDED_CONSENT)
            for s in chunk
            if len(s.unit_ids) > 1
            for unit_id in s.unit_ids
        ]
        _insert(SharingConsent, consents)
        summary.rows["consents"] += len(consents)
        for name, model in FORMS:
            objects = [o for s in chunk for o in getattr(s, name)]
            _insert(model, objects)
            summary.rows[name] += len(objects)
        items = [
            DueItem(
                patient=s.patient,
                kind=i.kind,
                opens_on=i.opens_on,
                due_on=i.due_on,
                closes_on=i.closes_on,
                rule_id=i.rule_id,
                detail=i.detail,
            )
            for s in chunk
            for i in due_items(s, today=today)
        ]
        _insert(DueItem, items)
        summary.rows["due_items"] += len(items)
        summary.rows["episodes"] += refresh_episodes(patient_ids=[s.patient.pk for s in chunk])
    summary.stories.update(s.story for s in chunk)
    return summary


def _give_emails(chunk: Sequence[SeededPatient]) -> None:
    """Every other patient registered first at the showcase unit gets a synthetic e-mail
    address, pasient-<registry id>@example.org (example.org receives no mail), so the demo's
    automatic controls have someone to invite (questionnaires.schedule). No mobile numbers:
    no synthetic number is safe to text."""
    ids = {s.patient.pk for s in chunk if s.unit_ids[:1] == [SHOWCASE.resh_id] and s.patient.pk % 2}
    Patient.objects.filter(pk__in=ids).update(
        email=Concat(Value(EMAIL_PREFIX), Cast("pk", CharField()), Value(EMAIL_DOMAIN))
    )
    for s in chunk:
        if s.patient.pk in ids:
            s.patient.email = f"{EMAIL_PREFIX}{s.patient.pk}{EMAIL_DOMAIN}"


# --- the run ------------------------------------------------------------------------------

#: the run a worker process works on, inherited when it is forked
_RUN: tuple[list[Identity], Options] | None = None


def _write_range(bounds: tuple[int, int]) -> Summary:
    """In a worker: builds and writes patients ``start..stop-1`` of the run."""
    assert _RUN is not None  # noqa: S101 - set before the workers are forked
    who, options = _RUN
    start, stop = bounds
    chunk = [generate_one(w, options) for w in who[start:stop]]
    return write_chunk(chunk, today=options.today)


def default_workers() -> int:
    """Processes that build and write chunks: one on SQLite (one writer at a time), else one
    per CPU, where fork exists (Linux); one inside a transaction (a test), which other
    connections would not see."""
    if connection.vendor != "postgresql" or sys.platform != "linux" or connection.in_atomic_block:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def seed(
    *,
    patients: int,
    seed: int,
    today: date,
    extra_visits: float = 0.0,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    chunk_size: int = CHUNK,
) -> Summary:
    """Creates the demo units (those missing) and ``patients`` synthetic patients with their
    histories and due items; the data depend only on ``seed`` and ``today``. ``progress`` is
    called with the number of patients written after each chunk."""
    global _RUN  # noqa: PLW0603 - handed to forked workers without pickling
    started = clock.perf_counter()
    ensure_units()
    options = Options(seed=seed, today=today, extra_visits=extra_visits)
    who = identities(patients, options)
    ranges = [(i, min(i + chunk_size, patients)) for i in range(0, patients, chunk_size)]
    workers = workers or default_workers()
    summary = Summary(workers=workers)
    _RUN = (who, options)
    try:
        if workers == 1:
            results: Any = map(_write_range, ranges)
            for result in results:
                summary.add(result)
                if progress:
                    progress(result.patients)
        else:
            connections.close_all()  # each worker opens its own
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                for result in pool.imap_unordered(_write_range, ranges):
                    summary.add(result)
                    if progress:
                        progress(result.patients)
    finally:
        _RUN = None
    seed_npr_counts(seed=seed, years=list(range(today.year - 4, today.year + 1)))
    # TX-6: the H-resept approvals the private practices' biologic courses were started under
    seed_approvals(today=today)
    _analyze()
    summary.seconds = clock.perf_counter() - started
    return summary


def _analyze() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL's autovacuum would take a
    while): without them a name search right after seeding scans the patient table."""
    if connection.in_atomic_block:
        return  # a test's transaction; ANALYZE of a few rows changes nothing
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")
