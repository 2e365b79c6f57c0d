"""Writes of the reports: the national patient register's counts (NPR), the denominator of
coverage (dekningsgrad), uploaded by the registry coordinator as a CSV file.

The file is read whole and every line checked before anything is written: a file with one bad
line imports nothing, and the coordinator gets every error at once (line number and column),
so a file exported from NPR's spreadsheet can be fixed in one go. A valid file replaces the
counts of the units and years it names and leaves the others alone.

The same file may hold health trusts' counts (issue 16, D5: coverage per trust): with a
column ``health_trust``, a line gives either a unit's RESH id or a trust's name (as the units
name it), not both. A file of units only (``resh_id;year;count``), as before, imports as it
did; a file of trusts only may leave out ``resh_id``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hsreg.accounts.actor import Actor
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.numbers import whole_number
from hsreg.units.models import Unit

from .forms import MAX_UPLOAD_BYTES
from .models import NprCount, NprTrustCount

COLUMNS = ("resh_id", "year", "count")
#: the column naming a health trust (a trust's line leaves resh_id empty)
TRUST = "health_trust"
YEARS = (2000, 2100)
#: errors listed one by one; beyond this the rest are counted (a wrong file can have thousands)
MAX_ERRORS_LISTED = 200


@dataclass(frozen=True, slots=True)
class UploadResult:
    created: int
    updated: int

    @property
    def rows(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    resh_id: int | None  # None on a health trust's line
    year: int
    count: int
    health_trust: str = ""


def _error(line: int, column: str, message: str) -> str:
    return _("Line %(line)s, %(field)s: %(message)s") % {
        "line": line,
        "field": column,
        "message": message,
    }


def _decode(file: IO[bytes]) -> str:
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than 1 MB. Upload the counts of fewer years at a time.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8 text (a byte at position %(position)s is not). Save it "
              "as CSV UTF-8 and upload it again.") % {"position": error.start}
        ) from error  # fmt: skip


#: the most digits a value may have: no RESH id, year or count of patients comes near, and a
#: longer number would overflow the database's integer (or Python's 4,300-digit int limit)
MAX_DIGITS = 9


def _whole_number(text: str) -> int | None:
    """A signed whole number (a negative count is refused later, with its own message)."""
    cleaned = text.strip()
    sign = cleaned[:1] if cleaned[:1] in ("+", "-") else ""
    number = whole_number(cleaned[len(sign) :], max_digits=MAX_DIGITS)
    return None if number is None else -number if sign == "-" else number


def parse_npr_file(file: IO[bytes]) -> list[_Line]:
    """The file's lines of counts, or a ValidationError listing every bad line and column.

    The header line names the columns ``resh_id``, ``year`` and ``count`` in any order (other
    columns, such as a unit name, are ignored); fields are separated by semicolons or commas,
    as the header line shows. Blank lines are skipped."""
    text = _decode(file)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    errors: list[str] = []
    positions: dict[str, int] = {}
    header_line = 0
    for row in reader:
        if any(cell.strip() for cell in row):
            header_line = reader.line_num
            names = [cell.strip().lower() for cell in row]
            positions = {name: names.index(name) for name in (*COLUMNS, TRUST) if name in names}
            break
    if not header_line:
        raise ValidationError(_("The file is empty."))
    required = ("year", "count") if TRUST in positions else COLUMNS
    missing = [name for name in required if name not in positions]
    if missing:
        raise ValidationError(
            [_error(header_line, name, _("the column is missing")) for name in missing]
        )
    candidates: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        values = {name: row[i] if i < len(row) else "" for name, i in positions.items()}
        candidates.append((reader.line_num, values))
    if not candidates:
        raise ValidationError(_("The file has a header line but no counts."))
    known = set(
        Unit.objects.filter(
            resh_id__in={n for _line, v in candidates if (n := _whole_number(v.get("resh_id", "")))}
        ).values_list("resh_id", flat=True)
    )
    trusts = set(Unit.objects.values_list("health_trust", flat=True).distinct())
    lines: list[_Line] = []
    seen: dict[tuple[int | str, int], int] = {}
    for number, values in candidates:
        trust = values.get(TRUST, "").strip()
        if trust:
            line_errors, parsed = _check_trust_line(number, values, trust, trusts)
        else:
            values.setdefault("resh_id", "")
            line_errors, parsed = _check_line(number, values, known)
        errors.extend(line_errors)
        if parsed is None:
            continue
        key = (parsed.health_trust or parsed.resh_id or 0, parsed.year)
        if key in seen:
            message = (
                _("health trust %(trust)s and year %(year)s are given on line %(other)s too")
                % {"trust": parsed.health_trust, "year": parsed.year, "other": seen[key]}
                if parsed.health_trust
                else _("RESH id %(resh)s and year %(year)s are given on line %(other)s too")
                % {"resh": parsed.resh_id, "year": parsed.year, "other": seen[key]}
            )
            errors.append(_error(number, "year", message))
            continue
        seen[key] = number
        lines.append(parsed)
    if errors:
        raise ValidationError(_listed(errors))
    return lines


def _check_line(number: int, values: dict[str, str], known: set[int]) -> tuple[list[str], _Line | None]:  # fmt: skip
    """The errors of one line, and the line when it has none."""
    errors: list[str] = []
    parsed: dict[str, int] = {}
    for column in COLUMNS:
        text = values[column].strip()
        if not text:
            errors.append(_error(number, column, _("no value")))
            continue
        value = _whole_number(text)
        if value is None and text.strip("+-").isascii() and text.strip("+-").isdigit():
            errors.append(
                _error(number, column, _("the number is too large (at most %(digits)s digits)")
                       % {"digits": MAX_DIGITS})
            )  # fmt: skip
            continue
        if value is None:
            errors.append(
                _error(number, column, _("“%(value)s” is not a whole number") % {"value": text})
            )
            continue
        message = _check_value(column, value, known)
        if message:
            errors.append(_error(number, column, message))
            continue
        parsed[column] = value
    if errors:
        return errors, None
    return [], _Line(number, parsed["resh_id"], parsed["year"], parsed["count"])


def _check_trust_line(number: int, values: dict[str, str], trust: str,
                      trusts: set[str]) -> tuple[list[str], _Line | None]:  # fmt: skip
    """The errors of a health trust's line (D5), and the line when it has none: a trust the
    units name, no RESH id beside it, a year and a count as on a unit's line."""
    errors: list[str] = []
    if values.get("resh_id", "").strip():
        errors.append(
            _error(number, TRUST, _("give either a RESH id or a health trust on a line, not both"))
        )
    if trust not in trusts:
        errors.append(
            _error(number, TRUST, _("no unit belongs to health trust “%(trust)s”")
                   % {"trust": trust})
        )  # fmt: skip
    numbers_only = {c: values[c] for c in ("year", "count")}
    number_errors, parsed = _check_line(number, {"resh_id": "1", **numbers_only}, {1})
    errors.extend(number_errors)
    if errors or parsed is None:
        return errors, None
    return [], _Line(number, None, parsed.year, parsed.count, health_trust=trust)


def _check_value(column: str, value: int, known: set[int]) -> str:
    if column == "resh_id" and value not in known:
        return _("no unit has RESH id %(resh)s") % {"resh": value}
    if column == "year" and not YEARS[0] <= value <= YEARS[1]:
        return _("%(year)s is not a year from %(first)s to %(last)s") % {
            "year": value,
            "first": YEARS[0],
            "last": YEARS[1],
        }
    if column == "count" and value < 0:
        return _("a count cannot be negative (%(value)s)") % {"value": value}
    return ""


def _listed(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_ERRORS_LISTED:
        return errors
    more = len(errors) - MAX_ERRORS_LISTED
    return [*errors[:MAX_ERRORS_LISTED], _("… and %(count)s more errors.") % {"count": more}]


@transaction.atomic
def upload_npr_counts(*, actor: Actor, file: IO[bytes] | Any) -> UploadResult:
    """Imports the NPR counts of ``file`` (parse_npr_file): every line valid, or nothing is
    written and a ValidationError lists the errors. A unit (or health trust, D5) and year
    already counted gets the new count; the upload is one audit row with the number of rows,
    never their values."""
    every = parse_npr_file(file)
    now, user = timezone.now(), actor.known_user
    units = [line for line in every if line.resh_id is not None]
    trusts = [line for line in every if line.resh_id is None]
    unit_new, unit_changed = _store_counts(
        NprCount, "unit_id", {(line.resh_id, line.year): line.count for line in units}, now, user
    )
    trust_new, trust_changed = _store_counts(
        NprTrustCount,
        "health_trust",
        {(line.health_trust, line.year): line.count for line in trusts},
        now,
        user,
    )
    result = UploadResult(created=unit_new + trust_new, updated=unit_changed + trust_changed)
    log(
        actor=actor,
        action=Action.CHANGE if result.updated else Action.CREATE,
        target="NPR counts",
        detail={"rows": result.rows, "created": result.created, "updated": result.updated},
    )
    return result


def _store_counts(
    model: type[NprCount] | type[NprTrustCount],
    key: str,
    counts: dict[tuple[Any, int], int],
    now: Any,
    user: Any,
) -> tuple[int, int]:
    """Writes ``counts`` (by (``key``, year): a unit's or a health trust's) to ``model``;
    returns (created, updated)."""
    existing = {
        (getattr(c, key), c.year): c
        for c in model.objects.filter(
            **{f"{key}__in": {k for k, _y in counts}}, year__in={y for _k, y in counts}
        )
    }
    new: list[Any] = []
    changed: list[Any] = []
    for (owner, year), patients in counts.items():
        count = existing.get((owner, year))
        if count is None:
            new.append(
                model(
                    **{key: owner}, year=year, patients=patients, uploaded_at=now, uploaded_by=user
                )
            )
        else:
            count.patients, count.uploaded_at, count.uploaded_by = patients, now, user
            changed.append(count)
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, ["patients", "uploaded_at", "uploaded_by"])
    return len(new), len(changed)
