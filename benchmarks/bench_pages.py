"""The pages' server time on the demo: each page a clinician uses and the report pages, beside
the login page (the trivial Django view), against the targets of issue 12: the distributions
and averages pages within 500 ms, every page a clinician uses within 300 ms.

Run it from the repository root (``python3 dev.py bench`` runs it too):

    .venv/bin/python benchmarks/bench_pages.py                  # a fresh 2,000-patient demo
    .venv/bin/python benchmarks/bench_pages.py --data-dir DIR   # the demo database in DIR
                                                                # (seeded there if empty)

What it does:

1. seeds a SQLite demo database with ``hsreg seed --patients 2000`` into a temporary
   directory (or uses ``--data-dir`` as it is when it holds patients; it is never emptied);
2. in this process, with Django's test client (the whole middleware stack, sessions, CSRF,
   the audit log's writes; no network): creates a user who is unit leader at the demo's
   largest unit and signs them in with both factors, picks the unit's patient with the most
   forms, and a draft of each kind of form there (a correction started of a finished one,
   made once and kept when ``--data-dir`` is reused);
3. requests each page once untimed (connections, compiled queries, template loading, the
   charts' cache), then ``--repeat`` times (7) timed, and prints the median and the slowest
   time of each in milliseconds, the first (cold) time, the median as a multiple of the login
   page's, the target and a pass/fail mark.

Server time here is the time of the request through Django in one process, as a real server
spends it minus the network. The marks are informative: a loaded machine may be slower, so
the run fails (exit 1) only when a page answers anything but its expected status (an error),
or with ``--enforce`` when a page misses its target.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HSREG = Path(sys.executable).with_name("hsreg")
PATIENTS = 2000
CLINICAL_TARGET = 0.300  # seconds: every page a clinician uses
REPORT_TARGET = 0.500  # seconds: the distributions and averages pages
USERNAME = "bench-pages"


@dataclass
class Page:
    name: str
    request: Callable[[], Any]
    target: float | None  # seconds; None: shown for comparison only
    status: int = 200


@dataclass
class Timing:
    page: Page
    cold: float
    times: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def seed(directory: Path, patients: int) -> None:
    """Seeds the demo database in ``directory`` unless it holds patients already."""
    database = directory / "hsreg.sqlite3"
    env = {**os.environ, "HSREG_DATA_DIR": str(directory)}
    env.pop("DATABASE_URL", None)
    if database.exists():
        print(f"Using the demo database {database}", flush=True)
        return
    print(f"Seeding {patients:,} patients into {database} …", flush=True)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - hsreg's own command
        [str(HSREG), "seed", "--patients", str(patients)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)


def setup_django(directory: Path) -> None:
    os.environ["HSREG_DATA_DIR"] = str(directory)
    os.environ.pop("DATABASE_URL", None)
    os.environ["HSREG_SECRET_KEY"] = secrets.token_urlsafe(40)
    os.environ["HSREG_INSECURE_HTTP"] = "1"
    os.environ["HSREG_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "hsreg.config.settings"
    for flag in ("HSREG_DEBUG", "HSREG_DEMO"):
        os.environ.pop(flag, None)
    import warnings  # noqa: PLC0415

    import django  # noqa: PLC0415 - after django.setup()

    # the static files are not collected for a benchmark; no page here reads them
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()


def signed_in_client() -> Any:
    """A unit leader at the demo's largest unit, signed in with both factors (as
    tests/signin.py does: the session marked verified with a confirmed TOTP device)."""
    from django.test import Client  # noqa: PLC0415 - after django.setup()
    from django_otp import DEVICE_ID_SESSION_KEY  # noqa: PLC0415 - after django.setup()
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415 - after django.setup()

    from hsreg.accounts.models import Role, User  # noqa: PLC0415 - after django.setup()
    from hsreg.accounts.services import create_user  # noqa: PLC0415 - after django.setup()
    from hsreg.seeding.units import SHOWCASE  # noqa: PLC0415 - after django.setup()
    from hsreg.units.models import Unit  # noqa: PLC0415 - after django.setup()

    unit = Unit.objects.get(resh_id=SHOWCASE.resh_id)
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = create_user(username=USERNAME, password=None, units=[unit], role=Role.UNIT_LEADER)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def busiest_patient(unit_id: int) -> Any:
    """The unit's patient with the most doctor's assessments: the longest patient page."""
    from django.db.models import Count  # noqa: PLC0415 - after django.setup()

    from hsreg.patients.models import Patient  # noqa: PLC0415 - after django.setup()

    return (
        Patient.objects.filter(enrolments__unit_id=unit_id)
        .annotate(forms=Count("doctorassessments", distinct=True))
        .order_by("-forms", "pk")
        .first()
    )


def drafts(patient: Any, unit: Any) -> dict[str, Any]:
    """A draft of each kind of form of ``patient`` at ``unit``: a correction started of a
    finished one (kept, and found again, when the database is reused)."""
    from hsreg.records.kinds import KINDS  # noqa: PLC0415 - after django.setup()
    from hsreg.records.models import Status  # noqa: PLC0415 - after django.setup()
    from hsreg.records.services import start_correction  # noqa: PLC0415 - after django.setup()

    found: dict[str, Any] = {}
    for slug, kind in KINDS.items():
        forms = kind.model.objects.filter(unit=unit)
        draft = forms.filter(status=Status.DRAFT, patient=patient).first()
        if draft is None:
            draft = forms.filter(status=Status.DRAFT).first()
        if draft is None:
            finished = forms.filter(status=Status.FINISHED, patient=patient).first()
            finished = finished or forms.filter(status=Status.FINISHED).first()
            if finished is None:
                continue
            draft = start_correction(record=finished, user=None, reason="benchmark")
            draft.save()
        found[slug] = draft
    return found


def live_data(record: Any) -> dict[str, str]:
    """The form of ``record`` as posted: what the live score endpoint is sent while typing."""
    from hsreg.records.kinds import KINDS  # noqa: PLC0415 - after django.setup()

    kind = next(k for k in KINDS.values() if isinstance(record, k.model))
    form = kind.form(patient=record.patient, instance=record)
    data: dict[str, str] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else str(value)
    return data


def pages(client: Any, anonymous: Any) -> list[Page]:
    from django.urls import reverse  # noqa: PLC0415 - after django.setup()

    from hsreg.records.kinds import KINDS  # noqa: PLC0415 - after django.setup()
    from hsreg.seeding.units import SHOWCASE  # noqa: PLC0415 - after django.setup()
    from hsreg.worklists.selectors import LISTS  # noqa: PLC0415 - after django.setup()

    patient = busiest_patient(SHOWCASE.resh_id)
    found = drafts(patient, SHOWCASE.resh_id)
    name = f"{patient.last_name[:3]}"
    result = [
        Page("login page", lambda: anonymous.get(reverse("login")), None),
        Page(
            "patient search",
            lambda: client.get(reverse("patients:search"), {"q": name}),
            CLINICAL_TARGET,
        ),
        Page(
            "patient page",
            lambda: client.get(reverse("patients:detail", args=[patient.pk])),
            CLINICAL_TARGET,
        ),
    ]
    for slug, kind in KINDS.items():
        if kind.single:  # one per patient: "new" leads to the patient's own (a redirect)
            continue
        url = reverse("records:new", kwargs={"patient_id": patient.pk, "kind": slug})
        result.append(Page(f"new {slug}", lambda url=url: client.get(url), CLINICAL_TARGET))
    for slug, draft in found.items():
        url = reverse(
            "records:edit",
            kwargs={"patient_id": draft.patient_id, "kind": slug, "record_id": draft.pk},
        )
        result.append(Page(f"edit {slug}", lambda url=url: client.get(url), CLINICAL_TARGET))
    for slug, kind in KINDS.items():
        if kind.live and slug in found:
            draft = found[slug]
            url = reverse("records:live", kwargs={"patient_id": draft.patient_id, "kind": slug})
            data = live_data(draft)
            result.append(
                Page(
                    f"live {slug}",
                    lambda url=url, data=data: client.post(url, data),
                    CLINICAL_TARGET,
                )
            )
    result.append(
        Page("worklists", lambda: client.get(reverse("worklists:index")), CLINICAL_TARGET)
    )
    for listed in LISTS:
        url = reverse("worklists:list", args=[listed])
        result.append(Page(f"worklist {listed}", lambda url=url: client.get(url), CLINICAL_TARGET))
    for report, target in (
        ("distributions", REPORT_TARGET),
        ("averages", REPORT_TARGET),
        ("index", None),
        ("trends", None),
        ("administrative", None),
    ):
        url = reverse(f"reports:{report}")
        result.append(Page(f"reports {report}", lambda url=url: client.get(url), target))
    return result


def measure(page: Page, repeat: int) -> Timing:
    def once() -> float:
        started = time.perf_counter()
        response = page.request()
        elapsed = time.perf_counter() - started
        if response.status_code != page.status:
            raise RuntimeError(f"{page.name}: status {response.status_code}, not {page.status}")
        return elapsed

    cold = once()
    return Timing(page, cold, [once() for _ in range(repeat)])


def report(timings: list[Timing]) -> int:
    """Prints the table; returns how many pages missed their target."""
    login = next(t for t in timings if t.page.target is None and t.page.name == "login page")
    print()
    print(f"{'page':<28}{'median':>9}{'max':>9}{'cold':>9}{'× login':>9}{'target':>9}  ")
    missed = 0
    for t in timings:
        target = t.page.target
        mark = ""
        if target is not None:
            ok = t.median <= target
            missed += not ok
            mark = "pass" if ok else "FAIL"
        print(
            f"{t.page.name:<28}{t.median * 1000:>7.0f}ms{max(t.times) * 1000:>7.0f}ms"
            f"{t.cold * 1000:>7.0f}ms{t.median / login.median:>8.1f}×"
            f"{'' if target is None else f'{target * 1000:.0f}ms':>9}  {mark}"
        )
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="the demo's data directory (kept)")
    parser.add_argument("--patients", type=int, default=PATIENTS)
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page")
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hsreg-bench-pages-") as temporary:
        directory = args.data_dir or Path(temporary)
        directory.mkdir(parents=True, exist_ok=True)
        seed(directory, args.patients)
        setup_django(directory)
        from django.test import Client  # noqa: PLC0415 - after django.setup()

        from hsreg.patients.models import Patient  # noqa: PLC0415 - after django.setup()

        print(f"{Patient.objects.count():,} patients; {args.repeat} timed requests per page")
        chosen = [
            p
            for p in pages(signed_in_client(), Client(HTTP_ACCEPT_LANGUAGE="nb"))
            if p.name == "login page" or args.only in p.name
        ]
        try:
            timings = [measure(page, args.repeat) for page in chosen]
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        missed = report(timings)
    print()
    print(f"{missed} page(s) over their target" if missed else "Every page within its target.")
    return 1 if (missed and args.enforce) else 0


if __name__ == "__main__":
    sys.exit(main())
