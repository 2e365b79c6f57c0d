"""``hsreg apiclient create|list|revoke`` and the coordinator's page of API clients: audited,
bad input exits 2 naming the option, a registrar never reaches the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.apiclients.models import ApiClient
from hsreg.audit.models import Action, AuditEvent
from hsreg.cli import main
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in

from .conftest import token_response

pytestmark = pytest.mark.django_db


def test_create_prints_the_id_and_secret_once_then_list_and_revoke(unit, client, capsys):
    code = main(
        ["apiclient", "create", "--unit", str(unit.resh_id), "--name", "dips",
         "--scopes", "system/Patient.rs system/Observation.crs"]
    )  # fmt: skip
    assert code == 0
    out = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    made = ApiClient.objects.get(name="dips")
    assert out["client_id"] == made.client_id
    assert made.unit == unit
    assert token_response(client, out["client_id"], out["client_secret"]).status_code == 200
    assert AuditEvent.objects.filter(action=Action.CREATE, target="api client dips").exists()

    assert main(["apiclient", "list"]) == 0
    listed = capsys.readouterr().out
    assert made.client_id in listed
    assert "system/Observation.crs" in listed
    assert out["client_secret"] not in listed

    assert main(["apiclient", "revoke", made.client_id]) == 0
    made.refresh_from_db()
    assert made.revoked_at is not None
    assert AuditEvent.objects.filter(action=Action.CHANGE, target="api client dips").exists()
    assert token_response(client, out["client_id"], out["client_secret"]).status_code == 401


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        (["--unit", "99", "--name", "x1", "--scopes", "system/Patient.rs"], "--unit"),
        (["--unit", "0", "--name", "x1", "--scopes", "system/Patient.rs"], "--unit"),
        (["--unit", "{unit}", "--name", "X Y", "--scopes", "system/Patient.rs"], "--name"),
        (["--unit", "{unit}", "--name", "x1", "--scopes", "system/Patient.cruds"], "--scopes"),
        (["--unit", "{unit}", "--name", "x1", "--scopes", " "], "--scopes"),
    ],
)
def test_bad_input_exits_2_naming_the_option(unit, capsys, arguments, option):
    arguments = [a.replace("{unit}", str(unit.resh_id)) for a in arguments]
    try:
        code = main(["apiclient", "create", *arguments])
    except SystemExit as exit_:  # argparse's own refusal (a RESH id out of range)
        code = exit_.code
    assert code == 2
    assert option in capsys.readouterr().err
    assert not ApiClient.objects.exists()


def test_revoking_an_unknown_client_exits_2(capsys, db):
    assert main(["apiclient", "revoke", "nope"]) == 2
    assert "CLIENT_ID" in capsys.readouterr().err


def test_the_coordinator_lists_and_revokes_clients(api_client, unit, client):
    found, secret = api_client
    coordinator = create_user(
        username="koord", password=PASSWORD, units=[unit], role=Role.COORDINATOR
    )
    http = sign_in(Client(), coordinator)
    start = http.get("/").content.decode()  # the coordinator's menu leads there
    assert f'href="{reverse("apiclients:index")}" id="menu-api-clients"' in start
    page = http.get(reverse("apiclients:index"))
    assert page.status_code == 200
    assert found.client_id in page.content.decode()
    assert secret not in page.content.decode()
    response = http.post(reverse("apiclients:revoke", args=[found.client_id]))
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.revoked_at is not None
    assert found.revoked_by == coordinator
    row = AuditEvent.objects.get(action=Action.CHANGE, target="api client dips")
    assert row.username == "koord"
    assert token_response(client, found.client_id, secret).status_code == 401
    assert http.post(reverse("apiclients:revoke", args=["nope"])).status_code == 404


def test_a_registrar_does_not_reach_the_page(api_client, unit):
    registrar = create_user(username="lege", password=PASSWORD, units=[unit])
    http = sign_in(Client(), registrar)
    assert http.get(reverse("apiclients:index")).status_code == 403
    found, _ = api_client
    assert http.post(reverse("apiclients:revoke", args=[found.client_id])).status_code == 403
