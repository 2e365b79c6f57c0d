"""``hsreg apiclient``: the systems that call hsreg's API (issue 14 point 2).

    hsreg apiclient create --unit 4001 --name dips-ahus --scopes "system/Patient.rs system/Observation.crs"
    hsreg apiclient create --unit 4001 --name dips-cds --scopes system/Patient.rs \
        --jwks-url https://dips.example.no/.well-known/jwks.json
    hsreg apiclient list
    hsreg apiclient revoke CLIENT_ID

``create`` prints the client id and the secret on standard output, once: only a hash of the
secret is stored. Everything is audited as done by hsreg itself (no user runs a command
through the web). Bad input exits 2 naming the option.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import (
    InputError,
    in_range,
    options_error,
    setup_migrated_django,
)

COMMANDS = ("apiclient",)
#: the option to name when the service refuses a field
OPTION_OF_FIELD = {
    "name": "--name",
    "scopes": "--scopes",
    "unit": "--unit",
    "jwks_url": "--jwks-url",
}


def add_commands(commands: Any) -> None:
    apiclient = commands.add_parser(
        "apiclient",
        help="make, list and revoke the systems that call the FHIR API (OAuth 2.0 clients)",
        description="API clients act for one unit with OAuth 2.0 client credentials and "
        "SMART v2 system scopes; their tokens last one hour.",
    )
    actions = apiclient.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser(
        "create", help="make a client and print its id and secret (shown only once)"
    )
    create.add_argument(
        "--unit", type=in_range(1, 99_999_999), required=True, metavar="RESH", help="its unit"
    )
    create.add_argument(
        "--name", required=True, help="a short name: a-z, digits, hyphens (user api-NAME)"
    )
    create.add_argument(
        "--scopes",
        required=True,
        help='the SMART scopes it may be given, space-separated, e.g. "system/Patient.rs"',
    )
    create.add_argument(
        "--jwks-url",
        default="",
        metavar="URL",
        help="where the client publishes the public keys that sign its CDS Hooks calls "
        "(JWKS); without it the client cannot call /cds-services",
    )
    actions.add_parser("list", help="every client, its unit, scopes and whether revoked")
    revoke = actions.add_parser("revoke", help="revoke a client; its tokens stop working at once")
    revoke.add_argument("client_id", metavar="CLIENT_ID", help="the client id create printed")


def run(args: argparse.Namespace) -> int:
    setup_migrated_django()
    from hsreg.accounts.actor import system_actor  # noqa: PLC0415 - after setup

    actor = system_actor(request_id=f"cli apiclient {args.action}")
    if args.action == "create":
        return _create(args, actor)
    if args.action == "list":
        return _list()
    return _revoke(args, actor)


def _create(args: argparse.Namespace, actor: Any) -> int:
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    from hsreg.apiclients.services import create_client  # noqa: PLC0415
    from hsreg.units.models import Unit  # noqa: PLC0415

    unit = Unit.objects.filter(resh_id=args.unit).first()
    if unit is None:
        raise InputError(f"--unit {args.unit}: no unit has this RESH id")
    try:
        client, secret = create_client(
            actor=actor, unit=unit, name=args.name, scopes=args.scopes, jwks_url=args.jwks_url
        )
    except ValidationError as error:
        raise options_error(error, OPTION_OF_FIELD) from None
    print(
        f"hsreg: API client {client.name} for unit {unit.resh_id} with {client.scopes}. "
        "The secret is shown only this once: keep it in the calling system's secret store.",
        file=sys.stderr,
    )
    print(f"client_id={client.client_id}")
    print(f"client_secret={secret}")
    return 0


def _list() -> int:
    from hsreg.apiclients.selectors import all_clients  # noqa: PLC0415

    print("client_id\tname\tunit\tscopes\tcreated\trevoked\tjwks_url")
    for client in all_clients():
        revoked = client.revoked_at.isoformat(timespec="seconds") if client.revoked_at else ""
        print(
            "\t".join(
                [
                    client.client_id,
                    client.name,
                    str(client.unit_id),
                    client.scopes,
                    client.created_at.isoformat(timespec="seconds"),
                    revoked,
                    client.jwks_url,
                ]
            )
        )
    return 0


def _revoke(args: argparse.Namespace, actor: Any) -> int:
    from django.http import Http404  # noqa: PLC0415

    from hsreg.apiclients.selectors import client_by_client_id  # noqa: PLC0415
    from hsreg.apiclients.services import revoke_client  # noqa: PLC0415

    try:
        client = client_by_client_id(client_id=args.client_id)
    except Http404:
        raise InputError(f"CLIENT_ID {args.client_id}: no API client has this id") from None
    if client.revoked_at is not None:
        print(f"hsreg: API client {client.name} was already revoked.", file=sys.stderr)
        return 0
    revoke_client(actor=actor, client=client)
    print(f"hsreg: API client {client.name} revoked; its tokens no longer work.", file=sys.stderr)
    return 0
