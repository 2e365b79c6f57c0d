"""An API client gets the address of its JWK Set for CDS Hooks: ``hsreg apiclient create
--jwks-url``, shown by ``list`` and on the coordinator's page; a bad address exits 2 naming
the option."""

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

pytestmark = pytest.mark.django_db

JWKS = "https://dips.example.no/.well-known/jwks.json"


def test_create_with_a_jwks_url_lists_it(unit, capsys):
    code = main(
        ["apiclient", "create", "--unit", str(unit.resh_id), "--name", "dips-cds",
         "--scopes", "system/Patient.rs", "--jwks-url", JWKS]
    )  # fmt: skip
    assert code == 0
    made = ApiClient.objects.get(name="dips-cds")
    assert made.jwks_url == JWKS
    created = AuditEvent.objects.get(action=Action.CREATE, target="api client dips-cds")
    assert created.detail["jwks_url"] == JWKS
    capsys.readouterr()
    assert main(["apiclient", "list"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split("\t")[-1] == "jwks_url"
    assert row.split("\t")[-1] == JWKS


def test_a_bad_jwks_url_exits_2_naming_the_option(unit, capsys):
    code = main(
        ["apiclient", "create", "--unit", str(unit.resh_id), "--name", "dips-cds",
         "--scopes", "system/Patient.rs", "--jwks-url", "not a url"]
    )  # fmt: skip
    assert code == 2
    assert "--jwks-url" in capsys.readouterr().err
    assert not ApiClient.objects.exists()


def test_the_coordinators_page_shows_the_jwks_address(api_client, unit):
    coordinator = create_user(
        username="koord", password=PASSWORD, units=[unit], role=Role.COORDINATOR
    )
    page = sign_in(Client(), coordinator).get(reverse("apiclients:index"))
    assert page.status_code == 200
    row = page.content.decode().split('id="client-dips-cds"')[1].split("</tr>")[0]
    assert f"<code>{api_client.jwks_url}</code>" in row
