"""The measured burden (issue 13, point 7; questionnaires.burden): counted from the forms'
definitions, fewer fields after than before, and the README's table is the script's output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hsreg.questionnaires import burden

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_episode_types_fewer_fields_after_than_before():
    for before, after in burden.totals().values():
        assert after > 0
        assert before > after


def test_the_counts_follow_the_forms_definitions():
    """The patient's forms as their LAYOUT asks them: the control adds the intervention
    followed up, whether the control was possible and the follow-up questions with the
    complications (HISREG asks them at both controls, issue 16); item 7's follow-up is asked
    on the typical path (DLQI 7 = No)."""
    medical, surgical = burden.episode(surgical=False), burden.episode(surgical=True)
    status, control = medical[0], medical[3]
    assert status.after == 0
    assert control.after == 0
    paths = burden._paths(surgical=True)
    asked = burden.asked_fields(paths[3])
    assert "wound_infection" in asked
    assert "dlqi_7_problems" in asked
    assert "dose_change" in asked
    assert "stop_reason" not in asked
    assert "comment" not in asked
    assert "other_complications_text" not in asked
    assert "wound_infection" in burden.asked_fields(burden._paths(surgical=False)[3])
    assert "control_possible" in asked
    assert "impossible_reason" not in asked
    assert "intervention" not in burden.asked_fields(paths[0])
    assert surgical[3].before == control.before > status.before > 0
    # the doctor's forms are typed in both cases
    assert [r.before for r in medical[1:3]] == [r.after for r in medical[1:3]]
    assert medical[-1].after == burden.SEND_INVITATION


def test_the_script_prints_the_table():
    run = subprocess.run(
        [sys.executable, "-m", "hsreg.questionnaires.burden"],
        capture_output=True,
        text=True,
        check=True,
        env={"HSREG_DEMO": "1", "PATH": "/usr/bin:/bin"},
    )
    assert run.stdout.strip() == burden.table()
    assert run.stdout.startswith("| Typed by clinic staff per episode |")


def test_the_readme_shows_the_table():
    table = burden.table()
    text = README.read_text(encoding="utf-8")
    first = table.splitlines()[0]
    assert first in text, "README.md has no burden table: run python -m hsreg.questionnaires.burden"
    start = text.index(first)
    shown = "\n".join(text[start:].splitlines()[: len(table.splitlines())])
    assert shown == table, (
        "README.md's burden table differs: run python -m hsreg.questionnaires.burden"
    )
