"""The ``hsreg`` command, run as a real process (``python -m hsreg``): what it prints, on which
stream, and its exit codes (0 done, 2 bad input or usage, 1 internal error)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
ELIGIBLE_ADULT = ROOT / "examples" / "eligible-adult.json"


def hsreg(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
    """Runs ``hsreg ARGS`` in the repository root; output decoded as UTF-8."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    completed = subprocess.run(
        [sys.executable, "-m", "hsreg", *args],
        cwd=ROOT,
        input=data,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return subprocess.CompletedProcess(
        completed.args,
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


def small_case(**parts: Any) -> dict[str, Any]:
    """A valid case document: an adult with one assessment; ``parts`` override."""
    document: dict[str, Any] = {
        "as_of": "2026-02-02",
        "patient": {"birth_date": "1980-01-01"},
        "assessments": [
            {"date": "2026-01-26", "nodules": 5, "abscesses": 1, "draining_tunnels": 2}
        ],
    }
    document.update(copy.deepcopy(parts))
    return document


def explanation_texts(evaluation: dict[str, Any]) -> list[str]:
    return [e["text"] for e in evaluation["explanations"]]


def assert_refused(result: subprocess.CompletedProcess[str]) -> list[str]:
    """Bad input: exit 2, nothing on stdout, no traceback; returns the stderr lines."""
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines
    return lines


# --- hsreg evaluate -----------------------------------------------------------------------


def test_evaluate_example_prints_json_in_norwegian_by_default() -> None:
    """TX-6: the example adult is eligible; texts are Norwegian bokmål unless --lang says."""
    result = hsreg("evaluate", "examples/eligible-adult.json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    evaluation = json.loads(result.stdout)
    assert evaluation["as_of"] == "2026-02-02"
    assert evaluation["biologic_eligibility"]["status"] == "eligible"
    texts = explanation_texts(evaluation)
    assert any("oppfylt" in text for text in texts)
    assert not any("C0: met" in text for text in texts)


def test_evaluate_in_english() -> None:
    result = hsreg("evaluate", "--lang", "en", "examples/eligible-adult.json")
    assert result.returncode == 0, result.stderr
    evaluation = json.loads(result.stdout)
    assert evaluation["biologic_eligibility"]["status"] == "eligible"
    texts = explanation_texts(evaluation)
    assert any("C0: met" in text for text in texts)
    assert not any("oppfylt" in text for text in texts)


def test_evaluate_prints_ihs4() -> None:
    """ST-2: IHS4 = nodules × 1 + abscesses × 2 + draining tunnels × 4 = 5 + 2 + 8 = 15."""
    result = hsreg("evaluate", "--lang", "en", "examples/eligible-adult.json")
    evaluation = json.loads(result.stdout)
    assert evaluation["staging"]["ihs4"] == {"score": 15, "category": "severe"}
    assert any(e["rule_id"] == "ST-2" for e in evaluation["explanations"])


def test_evaluate_reads_standard_input() -> None:
    result = hsreg("evaluate", "-", stdin=ELIGIBLE_ADULT.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    from_file = json.loads(hsreg("evaluate", str(ELIGIBLE_ADULT)).stdout)
    assert json.loads(result.stdout) == from_file


def test_evaluate_without_as_of_uses_today() -> None:
    document = small_case()
    del document["as_of"]
    document["assessments"][0]["date"] = "2020-01-06"
    before = date.today().isoformat()
    result = hsreg("evaluate", "-", stdin=json.dumps(document))
    after = date.today().isoformat()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["as_of"] in {before, after}


def test_evaluate_needs_a_case_or_jsonl() -> None:
    result = hsreg("evaluate")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_refuses_a_case_and_jsonl_together(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(small_case()) + "\n", encoding="utf-8")
    result = hsreg("evaluate", str(ELIGIBLE_ADULT), "--jsonl", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "not allowed with" in result.stderr


# --- bad input ----------------------------------------------------------------------------


def test_negative_count_names_the_field() -> None:
    """ST-3 counts are whole numbers >= 0; the problem names its path, one per line."""
    document = small_case()
    document["assessments"][0]["nodules"] = -1
    lines = assert_refused(hsreg("evaluate", "-", stdin=json.dumps(document)))
    assert "assessments[0].nodules: must be a whole number >= 0" in lines


def test_negative_count_from_a_file(tmp_path: Path) -> None:
    document = small_case()
    document["assessments"][0]["nodules"] = -1
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    lines = assert_refused(hsreg("evaluate", str(path)))
    assert lines == ["assessments[0].nodules: must be a whole number >= 0"]


def test_every_problem_is_reported_on_its_own_line() -> None:
    document = small_case()
    document["assessments"][0]["nodules"] = -1
    document["assessments"][0]["abscesses"] = "3"
    lines = assert_refused(hsreg("evaluate", "-", stdin=json.dumps(document)))
    assert lines == [
        "assessments[0].nodules: must be a whole number >= 0",
        "assessments[0].abscesses: must be a whole number >= 0",
    ]


def test_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"patient": {"birth_date": "1980-01-01"', encoding="utf-8")
    lines = assert_refused(hsreg("evaluate", str(path)))
    assert len(lines) == 1
    assert lines[0].startswith("(document): invalid JSON")


def test_invalid_json_on_standard_input() -> None:
    lines = assert_refused(hsreg("evaluate", "-", stdin="{bad"))
    assert lines[0].startswith("(document): invalid JSON at line 1 column 2")


def test_duplicate_keys_are_invalid_json() -> None:
    text = '{"patient": {"birth_date": "1980-01-01"}, "patient": {"birth_date": "1981-01-01"}}'
    lines = assert_refused(hsreg("evaluate", "-", stdin=text))
    assert lines[0].startswith("(document): invalid JSON")
    assert "duplicate key" in lines[0]


def test_a_document_that_is_not_an_object() -> None:
    lines = assert_refused(hsreg("evaluate", "-", stdin="[]"))
    assert lines == ["(document): must be an object"]


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-case.json"
    lines = assert_refused(hsreg("evaluate", str(missing)))
    assert len(lines) == 1
    assert lines[0].startswith("hsreg: cannot read")
    assert "no-such-case.json" in lines[0]


def test_impossible_date() -> None:
    document = small_case()
    document["assessments"][0]["date"] = "2025-02-30"
    lines = assert_refused(hsreg("evaluate", "-", stdin=json.dumps(document)))
    assert lines == ["assessments[0].date: must be a date that exists in the calendar (YYYY-MM-DD)"]


def test_date_after_as_of() -> None:
    document = small_case()
    document["assessments"][0]["date"] = "2026-03-01"
    lines = assert_refused(hsreg("evaluate", "-", stdin=json.dumps(document)))
    assert lines == ["assessments[0].date: must not be after as_of"]


def test_unknown_drug() -> None:
    document = small_case(treatments=[{"drug": "aspirin", "start": "2025-01-01"}])
    lines = assert_refused(hsreg("evaluate", "-", stdin=json.dumps(document)))
    assert len(lines) == 1
    assert lines[0].startswith("treatments[0].drug: ")
    assert "hsreg drugs" in lines[0]


def test_region_sums_that_disagree() -> None:
    """ST-1 / RG-3: totals given with regions must equal the sums over the regions."""
    document = small_case()
    document["assessments"][0]["regions"] = [
        {"region": "axilla_left", "nodules": 2, "abscesses": 1, "draining_tunnels": 2},
        {"region": "groin_right", "nodules": 1, "abscesses": 0, "draining_tunnels": 0},
    ]
    lines = assert_refused(hsreg("evaluate", "-", stdin=json.dumps(document)))
    assert lines == ["assessments[0].nodules: must equal the sum over the regions (3)"]


def test_region_sums_that_agree_are_accepted() -> None:
    document = small_case()
    document["assessments"][0]["regions"] = [
        {"region": "axilla_left", "nodules": 4, "abscesses": 1, "draining_tunnels": 2},
        {"region": "groin_right", "nodules": 1, "abscesses": 0, "draining_tunnels": 0},
    ]
    result = hsreg("evaluate", "-", stdin=json.dumps(document))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["staging"]["ihs4"]["score"] == 15


def test_unknown_language_is_a_usage_error() -> None:
    result = hsreg("evaluate", "--lang", "de", str(ELIGIBLE_ADULT))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "invalid choice" in result.stderr
    assert "Traceback" not in result.stderr


# --- hsreg evaluate --jsonl ---------------------------------------------------------------


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def negative_count_case() -> dict[str, Any]:
    document = small_case()
    document["assessments"][0]["nodules"] = -1
    return document


def test_jsonl_bad_lines_are_reported_in_place(tmp_path: Path) -> None:
    first = small_case()
    last = small_case(as_of="2026-03-03")
    path = write_lines(
        tmp_path / "cases.jsonl",
        [
            json.dumps(first),
            '{"patient": ',
            json.dumps(negative_count_case()),
            json.dumps(last),
        ],
    )
    result = hsreg("evaluate", "--jsonl", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    out = result.stdout.splitlines()
    assert len(out) == 4
    records = [json.loads(line) for line in out]

    assert records[0]["as_of"] == "2026-02-02"
    assert records[0]["staging"]["ihs4"]["score"] == 15

    assert set(records[1]) == {"line", "errors"}
    assert records[1]["line"] == 2
    assert len(records[1]["errors"]) == 1
    assert records[1]["errors"][0]["path"] == "(document)"
    assert records[1]["errors"][0]["message"].startswith("invalid JSON")

    assert records[2] == {
        "line": 3,
        "errors": [{"path": "assessments[0].nodules", "message": "must be a whole number >= 0"}],
    }

    assert records[3]["as_of"] == "2026-03-03"

    err = result.stderr.splitlines()
    assert len(err) == 2
    assert err[0].startswith("line 2: (document): invalid JSON")
    assert err[1] == "line 3: assessments[0].nodules: must be a whole number >= 0"


def test_jsonl_output_is_one_compact_line_per_case(tmp_path: Path) -> None:
    documents = [small_case(as_of=f"2026-0{month}-01") for month in (2, 3, 4)]
    path = write_lines(tmp_path / "cases.jsonl", [json.dumps(d) for d in documents])
    result = hsreg("evaluate", "--jsonl", str(path), "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout.splitlines()
    assert [json.loads(line)["as_of"] for line in out] == ["2026-02-01", "2026-03-01", "2026-04-01"]
    assert all(line.startswith('{"as_of":"') for line in out)  # compact separators
    assert any("severe" in text for text in explanation_texts(json.loads(out[0])))  # English


def test_jsonl_matches_single_evaluation(tmp_path: Path) -> None:
    document = json.loads(ELIGIBLE_ADULT.read_text(encoding="utf-8"))
    path = write_lines(tmp_path / "one.jsonl", [json.dumps(document)])
    from_jsonl = hsreg("evaluate", "--jsonl", str(path))
    single = hsreg("evaluate", str(ELIGIBLE_ADULT))
    assert from_jsonl.returncode == single.returncode == 0
    assert json.loads(from_jsonl.stdout) == json.loads(single.stdout)


def test_jsonl_skips_blank_lines(tmp_path: Path) -> None:
    """Blank lines are skipped (documented in ``hsreg evaluate --help``); line numbers in
    errors still count them."""
    path = tmp_path / "cases.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(small_case()),
                "",
                "   ",
                json.dumps(negative_count_case()),
                "",
                json.dumps(small_case()),
                "",
            ]
        ),
        encoding="utf-8",
    )
    result = hsreg("evaluate", "--jsonl", str(path))
    assert result.returncode == 2
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 3
    assert records[1]["line"] == 4
    assert "as_of" in records[0]
    assert "as_of" in records[2]
    assert result.stderr.splitlines() == [
        "line 4: assessments[0].nodules: must be a whole number >= 0"
    ]


def test_jsonl_of_only_blank_lines_prints_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n  \n", encoding="utf-8")
    result = hsreg("evaluate", "--jsonl", str(path))
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == ""


def test_jsonl_reads_standard_input() -> None:
    text = "\n".join([json.dumps(small_case()), json.dumps(small_case(as_of="2026-05-05"))])
    result = hsreg("evaluate", "--jsonl", "-", stdin=text)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["as_of"] for r in records] == ["2026-02-02", "2026-05-05"]


def test_jsonl_handles_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(
        (json.dumps(small_case()) + "\r\n\r\n" + json.dumps(small_case()) + "\r\n").encode()
    )
    result = hsreg("evaluate", "--jsonl", str(path))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2


def test_jsonl_missing_file(tmp_path: Path) -> None:
    lines = assert_refused(hsreg("evaluate", "--jsonl", str(tmp_path / "nowhere.jsonl")))
    assert len(lines) == 1
    assert "nowhere.jsonl" in lines[0]


def test_jsonl_without_as_of_uses_today(tmp_path: Path) -> None:
    document = small_case()
    del document["as_of"]
    path = write_lines(tmp_path / "cases.jsonl", [json.dumps(document)])
    before = date.today().isoformat()
    result = hsreg("evaluate", "--jsonl", str(path))
    after = date.today().isoformat()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["as_of"] in {before, after}


# --- hsreg schema, hsreg drugs ------------------------------------------------------------


def test_schema() -> None:
    result = hsreg("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "patient" in schema["properties"]
    assert "assessments" in schema["properties"]
    assert schema["required"] == ["patient"]


def test_drugs_in_english() -> None:
    """XB-1, XB-2: secukinumab and bimekizumab are listed, marked as beyond the guideline."""
    result = hsreg("drugs", "--lang", "en")
    assert result.returncode == 0, result.stderr
    drugs = json.loads(result.stdout)
    assert len(drugs) >= 19
    by_id = {drug["id"]: drug for drug in drugs}
    assert len(by_id) == len(drugs)
    for drug_id in ("secukinumab", "bimekizumab"):
        assert by_id[drug_id]["in_guideline"] is False
        assert "beyond the NFDV guideline" in by_id[drug_id]["note"]
    assert by_id["adalimumab"]["in_guideline"] is True
    assert by_id["adalimumab"]["biologic"] is True
    assert by_id["doxycycline"]["tetracycline_class"] is True


def test_drugs_in_norwegian_by_default() -> None:
    result = hsreg("drugs")
    assert result.returncode == 0, result.stderr
    drugs = {drug["id"]: drug for drug in json.loads(result.stdout)}
    assert drugs["tetracycline"]["name"] == "Tetrasyklin"
    assert len(drugs) >= 19


# --- usage --------------------------------------------------------------------------------


def test_version() -> None:
    result = hsreg("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == "hsreg 0.1.0"


@pytest.mark.parametrize("args", [(), ("frobnicate",)])
def test_usage_errors_exit_2_without_traceback(args: tuple[str, ...]) -> None:
    result = hsreg(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage: hsreg" in result.stderr
    assert "Traceback" not in result.stderr


def test_help() -> None:
    result = hsreg("evaluate", "--help")
    assert result.returncode == 0
    assert "--jsonl" in result.stdout
    assert "blank lines are skipped" in result.stdout


def test_jsonl_a_line_nested_too_deeply_is_one_bad_line(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "deep.jsonl", [json.dumps(small_case()), "[" * 100_000, json.dumps(small_case())]
    )
    result = hsreg("evaluate", "--jsonl", str(path))
    assert result.returncode == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[1] == {
        "line": 2,
        "errors": [{"path": "(document)", "message": "invalid JSON: nested too deeply"}],
    }
    assert out[2]["staging"]["ihs4"]["score"] == 15


def test_output_is_utf8_whatever_the_terminal_encoding() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "hsreg", "evaluate", str(ELIGIBLE_ADULT)],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert completed.returncode == 0, completed.stderr
    assert "≥ 11" in completed.stdout.decode("utf-8")
