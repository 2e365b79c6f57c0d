"""The round trip of issue 14's "Done when": `hsreg hisreg export` of seeded data, `hsreg
hisreg import` of those files into an empty registry, and an export again gives byte-identical
files (the six tables, units.csv and patients.csv)."""

from __future__ import annotations

from hsreg.cli import main
from hsreg.patients.models import Patient
from hsreg.treatments.models import DrugCourse

from .conftest import empty_registry, export_to


def test_export_import_export_gives_identical_files(seeded, tmp_path, capsys):
    first = export_to(tmp_path / "first")
    empty_registry()
    assert main(["hisreg", "import", str(first)]) == 0, capsys.readouterr().err
    assert Patient.objects.count() == len(seeded)
    assert DrugCourse.objects.exists()
    second = export_to(tmp_path / "second")
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
