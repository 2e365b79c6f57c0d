"""Bad requests get a clear page in the user's language, never a 500."""

import pytest
from django.test import Client

from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def test_a_bad_host_header_is_a_400_page_not_a_500(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "Ugyldig forespørsel" in response.content.decode()


def test_an_unknown_page_is_a_404_page_with_a_way_back(client_in):
    response = client_in.get("/no/such/page/")
    assert response.status_code == 404
    assert 'href="/"' in response.content.decode()


def test_a_form_without_its_csrf_token_is_refused_with_an_explanation(user):
    strict = sign_in(Client(enforce_csrf_checks=True), user)
    response = strict.post("/patients/new/", {"national_id": "x"})
    assert response.status_code == 403
    assert "Skjemaet er utløpt" in response.content.decode()
