"""``hsreg invite`` (cli.invite): the real command, run in this process on the test database
(as tests/reports/test_annual.py runs ``hsreg report``) and once as a real process on a seeded
SQLite database (as tests/test_cli_registry.py runs the registry commands): the link printed,
the invitation made as hsreg, bad input refused with exit 2 naming the option."""

# ruff: noqa: F811 - the fixtures imported from .staffing are the tests' arguments

from __future__ import annotations

import pytest
from django.utils import translation

from hsreg.audit.models import Action, AuditEvent
from hsreg.cli import main
from hsreg.patients.models import Enrolment
from hsreg.questionnaires import services
from hsreg.questionnaires.models import Channel, Form, Invitation, Purpose
from tests.test_cli_registry import assert_refused, hsreg

from .staffing import intervention, other_unit, patient, sent_sms, unit  # noqa: F401 - fixtures


def run(*arguments: str) -> int:
    with translation.override("nb"):  # the command activates English for its own messages
        return main(["invite", *arguments])


def printed_link(capsys) -> tuple[str, str]:
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 1, captured.out
    return lines[0], captured.err


def test_invite_prints_the_link_of_a_new_invitation(patient, capsys):
    assert run("--patient", str(patient.pk), "--form", "status") == 0
    link, said = printed_link(capsys)
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = services.find(token)
    assert link == services.link_for(token)
    assert (invitation.patient, invitation.form, invitation.channel) == (
        patient,
        Form.STATUS,
        Channel.LINK,
    )
    assert invitation.created_by is None  # made by hsreg itself
    assert f"invitation {invitation.pk}" in said
    assert patient.last_name not in said + link
    assert AuditEvent.objects.filter(
        action=Action.CREATE, target=f"invitation {invitation.pk}", user=None
    ).exists()


def test_invite_a_control_by_sms_and_the_access_log(patient, intervention, capsys, sent_sms):
    assert (
        run(
            "--patient",
            str(patient.pk),
            "--form",
            "control-3m",
            "--intervention",
            str(intervention.pk),
            "--channel",
            "sms",
        )
        == 0
    )
    link, _ = printed_link(capsys)
    (message,) = sent_sms(morning=True)
    assert link in message.body
    assert run("--patient", str(patient.pk), "--access-log", "--channel", "email") == 0
    access = Invitation.objects.get(purpose=Purpose.ACCESS_LOG)
    assert access.channel == Channel.EMAIL
    assert access.sent_at is not None


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        (["--patient", "999", "--form", "status"], "--patient 999"),
        (["--form", "control-6m"], "--intervention"),
        (["--form", "status", "--intervention", "999"], "--intervention 999"),
        (["--form", "status", "--unit", "4242"], "--unit 4242"),
    ],
)
def test_invite_refuses_bad_input_naming_the_option(patient, capsys, arguments, option):
    if arguments[0] != "--patient":
        arguments = ["--patient", str(patient.pk), *arguments]
    assert run(*arguments) == 2
    captured = capsys.readouterr()
    assert option in captured.err
    assert captured.out == ""
    assert not Invitation.objects.exists()


def test_sms_without_a_mobile_number_names_channel(patient, capsys):
    patient.mobile = ""
    patient.save()
    assert run("--patient", str(patient.pk), "--form", "status", "--channel", "sms") == 2
    assert "--channel: The patient has no mobile number." in capsys.readouterr().err


def test_a_patient_of_two_units_needs_unit(patient, unit, other_unit, capsys):
    Enrolment.objects.create(patient=patient, unit=other_unit)
    assert run("--patient", str(patient.pk), "--form", "status") == 2
    assert "--unit" in capsys.readouterr().err
    assert run("--patient", str(patient.pk), "--form", "status", "--unit", "700922") == 0
    assert Invitation.objects.get().unit == other_unit


@pytest.mark.parametrize(
    "arguments",
    [
        ["--patient", "1"],  # neither --form nor --access-log
        ["--patient", "1", "--form", "status", "--access-log"],
        ["--patient", "x", "--form", "status"],
        ["--patient", "1", "--form", "yearly"],
        ["--patient", "1", "--form", "status", "--channel", "fax"],
    ],
)
def test_usage_errors_exit_2(db, capsys, arguments):
    with pytest.raises(SystemExit) as stop:
        run(*arguments)
    assert stop.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_the_command_as_a_real_process_on_a_seeded_database(tmp_path):
    seeded = hsreg("seed", "--patients", "2", data_dir=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    key = {"HSREG_SECRET_KEY": "cli-test-key-not-secret"}  # the link is derived with it
    result = hsreg("invite", "--patient", "1", "--form", "status", data_dir=tmp_path, **key)
    assert result.returncode == 0, result.stderr
    assert "/p/" in result.stdout
    assert len(result.stdout.splitlines()) == 1
    assert_refused(
        hsreg("invite", "--patient", "77", "--access-log", data_dir=tmp_path, **key),
        "--patient 77",
    )
