"""The annual report PDF, read back with pdfium as a reader would: its pages render, its text
holds the title, every quality indicator, the suppression of small numbers and the numbered
figures and tables, and no patient's name or id number; and ``hsreg report annual`` writes it,
refusing a bad year or an unwritable path with exit code 2."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.utils import translation
from django.utils.translation import gettext

from hsreg.assessments.models import MedicalHistory
from hsreg.cli import main
from hsreg.patients.models import Patient
from hsreg.reports.annual import ReportError, annual_report, build_annual_report
from hsreg.reports.definitions import INDICATORS
from hsreg.reports.distributions.periods import followup_note
from hsreg.reports.episodes import refresh_episodes
from hsreg.reports.models import NprCount

from . import crafted
from .crafted import MEDICAL, SURGICAL

pytestmark = pytest.mark.django_db
YEAR = 2025
AS_OF = date(2026, 3, 31)


@pytest.fixture
def registry() -> None:
    """Twelve medical episodes with controls at one unit, three surgical ones at another (too
    few: N<5), and an NPR count that makes the second unit's coverage low."""
    big = crafted.unit(101, region="vest")
    small = crafted.unit(202, region="nord")
    for k in range(12):
        i = crafted.episode(
            big,
            date(YEAR, 2, 1) + timedelta(days=7 * k),
            kind=MEDICAL,
            before={"ihs4": 8, "hurley": 2, "nodules": 3, "abscesses": 1, "tunnels": 0},
            after={"ihs4": 3 + k % 2 * 6, "hurley": 1, "nodules": 1, "abscesses": 0, "tunnels": 0},
            before_report={"dlqi": 14, "vas": "7.0", "smoking": 1, "work": 1},
            after_report={"dlqi": 6, "vas": "3.0", "satisfaction": 1},
        )
        crafted.biologic(i.patient, big, i)
        # the complete episode's medical history (crafted.episode, D1) with these answers
        MedicalHistory.objects.filter(patient=i.patient).update(
            age_first_boil=16, medication_antibiotic=1
        )
        refresh_episodes(patient_ids=[i.patient_id])
    for k in range(3):
        crafted.episode(
            small,
            date(YEAR, 3, 1) + timedelta(days=k),
            kind=SURGICAL,
            before={"ihs4": 12, "hurley": 3},
            after={"ihs4": 4, "hurley": 2},
            after_report={"satisfaction": 2, "wound_infection": 0},
        )
    NprCount.objects.create(unit=big, year=YEAR, patients=14)
    NprCount.objects.create(unit=small, year=YEAR, patients=10)


def read(pdf: bytes) -> tuple[int, str]:
    """The page count and the text (whitespace made single spaces); every page is rendered
    to an image first, as a reader's viewer would, and must not be blank."""
    document = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            image = page.render(scale=1).to_pil().convert("L")
            assert image.size[0] > 500
            assert image.getextrema()[0] < 128  # something is printed on the page
            texts.append(page.get_textpage().get_text_range())
        return len(document), " ".join("\n".join(texts).split())
    finally:
        document.close()


def test_the_report_reads_as_the_registry_publishes_it(registry) -> None:
    report = build_annual_report(year=YEAR, as_of=AS_OF)
    assert report.pdf.startswith(b"%PDF-")
    pages, text = read(report.pdf)
    assert pages == report.pages
    assert pages >= 20  # front page, contents, 13 indicators, the figures and tables
    with translation.override("nb"):
        title = gettext("Annual report HISREG %(year)s") % {"year": YEAR}
        names = [str(i.title) for i in INDICATORS]
        low = gettext("Low coverage")
        contents = gettext("Contents")
    assert title in text
    assert f"Årsrapport HISREG {YEAR}" in text  # in Norwegian
    assert "Redusert IHS4 etter behandling" in text
    for name in names:
        assert name in text, name
    assert "N<5" in text  # the small unit's shares
    assert "N<10" in text  # its means, and complications
    assert low in text  # 3 registered of 10 in NPR
    assert "Lav dekningsgrad" in text
    assert contents in text
    assert "Figur 1:" in text or "Figure 1:" in text
    assert "Tabell 1:" in text or "Table 1:" in text


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page (whitespace made single spaces), each page rendered first."""
    document = pdfium.PdfDocument(pdf)
    try:
        found = []
        for page in document:
            image = page.render(scale=1).to_pil().convert("L")
            assert image.getextrema()[0] < 128
            found.append(" ".join(page.get_textpage().get_text_range().split()))
        return found
    finally:
        document.close()


def test_the_report_carries_the_figures_and_tables_issue_16_added(registry) -> None:
    """HISREG's Figur 2, 35, 37-42 and Tabell 3-6, each captioned on a page of its own
    rendering; the figures of the controls name their follow-up period (D4)."""
    pages = page_texts(annual_report(year=YEAR, as_of=AS_OF))
    with translation.override("nb"):
        figures = [
            gettext(t)
            for t in (
                "Unique patients registered by the participating units",
                "Why could the follow-up form not be filled in?",
                "Type of antibiotic treatment",
                "Type of anti-inflammatory treatment",
                "Type of local medical treatment",
                "Type of treatment, per unit",
                "Type of surgery, per unit",
                "Type of medical treatment, per unit",
            )
        ]
        tables = [
            gettext(
                "Completeness of selected variables before treatment, %(year)s. Don't know "
                "counts as missing"
            )
            % {"year": YEAR},
            gettext(
                "Completeness of selected variables at the follow-up, episodes of %(year)s. "
                "Don't know counts as filled in"
            )
            % {"year": YEAR},
        ]
        period = followup_note(YEAR, AS_OF)
        satisfaction = gettext("How satisfied were you with the treatment given?")
    for title in figures:
        found = [p for p in pages if re.search(rf"(Figur|Figure) \d+: {re.escape(title)}", p)]
        assert len(found) == 1, title
    for title in tables:
        assert any(re.search(rf"(Tabell|Table) \d+: {re.escape(title)}", p) for p in pages), title
    assert any(f"{satisfaction} {period}" in p for p in pages)  # "?", not "?."
    assert any("PatientReport.smoking" in p for p in pages)  # the note under Tabell 3


def test_no_patient_is_named(registry) -> None:
    _pages, text = read(annual_report(year=YEAR, as_of=AS_OF))
    for p in Patient.objects.all():
        assert p.national_id not in text
        assert p.last_name not in text
        assert p.birth_date.isoformat() not in text


def test_norwegian_is_the_language_of_the_report(registry) -> None:
    with translation.override("en"):
        pdf = annual_report(year=YEAR, as_of=AS_OF)
    _pages, text = read(pdf)
    assert "Kvinne (n=15)" in text  # the sex distribution, its labels in Norwegian
    assert "Female" not in text


def test_an_empty_registry_still_makes_a_report() -> None:
    pages, text = read(annual_report(year=YEAR, as_of=AS_OF))
    assert pages >= 15
    assert "N<5" in text  # every national share is too small


def test_a_year_after_the_report_date_is_refused() -> None:
    with pytest.raises(ReportError, match="year"):
        build_annual_report(year=2027, as_of=date(2026, 1, 1))
    with pytest.raises(ReportError, match="year"):
        build_annual_report(year=1999, as_of=date(2026, 1, 1))


def run(*arguments: str) -> int:
    with translation.override("nb"):  # the command activates English for its own messages
        return main(["report", "annual", *arguments])


def test_cli_writes_the_report(registry, tmp_path: Path, capsys) -> None:
    out = tmp_path / "report.pdf"
    assert run("--year", str(YEAR), "--as-of", AS_OF.isoformat(), "--out", str(out)) == 0
    printed = capsys.readouterr().out
    pages, _text = read(out.read_bytes())
    assert str(out) in printed
    assert f"{pages} pages" in printed


@pytest.mark.parametrize("year", ["1999", "20x5", "2101"])
def test_cli_refuses_a_year_it_cannot_report(tmp_path: Path, capsys, year: str) -> None:
    with pytest.raises(SystemExit) as stop:
        run("--year", year, "--out", str(tmp_path / "r.pdf"))
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert "--year" in error
    assert "Traceback" not in error


def test_cli_refuses_a_year_after_the_report_date(tmp_path: Path, capsys) -> None:
    code = run("--year", "2026", "--as-of", "2025-12-31", "--out", str(tmp_path / "r.pdf"))
    assert code == 2
    assert "--year 2026" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


def test_cli_refuses_an_unwritable_path(tmp_path: Path, capsys) -> None:
    assert run("--year", "2025", "--out", str(tmp_path / "missing" / "r.pdf")) == 2
    assert "--out" in capsys.readouterr().err
    assert run("--year", "2025", "--out", str(tmp_path)) == 2
    assert "is a directory" in capsys.readouterr().err


def overlapping_characters(page: pdfium.PdfPage, tolerance: float = 0.5) -> list[str]:
    """Pairs of printed characters of ``page`` whose boxes meet (not neighbours in the text):
    a header run into the next column's, a title over a chart's note."""
    text_page = page.get_textpage()
    text = text_page.get_text_range()
    boxes = []
    for i in range(text_page.count_chars()):
        if i >= len(text) or not text[i].strip():
            continue
        left, bottom, right, top = text_page.get_charbox(i)
        if right - left > tolerance and top - bottom > tolerance:
            boxes.append((left, bottom, right, top, i))
    boxes.sort()
    found = []
    for k, (left, bottom, right, top, i) in enumerate(boxes):
        for left2, bottom2, _right2, top2, j in boxes[k + 1 :]:
            if left2 >= right - tolerance:
                break
            if min(top, top2) - max(bottom, bottom2) > tolerance and abs(i - j) > 1:
                found.append(f"{text[i]!r}/{text[j]!r} at ({left:.0f}, {bottom:.0f})")
    return found


def test_no_text_runs_into_other_text_on_any_page(registry) -> None:
    """Issue 12: on the landscape table pages a long header word ran into the next column's
    header, and a chart's long title over its "Hele landet (N=…)" note. No two characters of
    the whole report overlap, headers, tables and charts alike."""
    document = pdfium.PdfDocument(annual_report(year=YEAR, as_of=AS_OF))
    try:
        for number, page in enumerate(document, start=1):
            assert overlapping_characters(page) == [], f"page {number}"
    finally:
        document.close()


def test_administrative_columns_are_as_wide_as_their_header_words() -> None:
    """The widths of a landscape table: every column holds its header's longest word (a cell
    breaks lines between words only), and the table fits the page."""
    from hsreg.reports.annual.layout import WIDE_TEXT_WIDTH, header_room
    from hsreg.reports.annual.sections import _admin_widths

    with translation.override("nb"):
        columns = [
            gettext("Registered patients"),
            "Med ferdigstilte medisinske opplysninger",
            "Uten ferdigstilte medisinske opplysninger",
            "Med behandlingsforløp",
            "Med forløp som venter på kontroll",
            "Med kontroll som ikke ble gjort",
            "Alle kontroller gjort",
        ]
    name, widths, upright = _admin_widths(columns)
    assert not upright
    assert all(w >= header_room(c) for w, c in zip(widths, columns, strict=True))
    assert name + sum(widths) <= WIDE_TEXT_WIDTH + 0.01
    many = _admin_widths([f"Column {k}" for k in range(9)])
    assert many[2]  # more than seven columns: upright headers


def test_the_pdf_names_its_title_and_language(registry) -> None:
    """Accessibility as far as reportlab goes: the title in the metadata, shown by the viewer
    instead of the file name, and the document's language (nb) in the catalogue."""
    pdf = annual_report(year=YEAR, as_of=AS_OF)
    document = pdfium.PdfDocument(pdf)
    try:
        assert document.get_metadata_dict()["Title"] == f"Årsrapport HISREG {YEAR}"
    finally:
        document.close()
    assert b"/Lang (nb)" in pdf
    assert b"/DisplayDocTitle true" in pdf
