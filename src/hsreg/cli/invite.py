"""``hsreg invite``: makes an invitation as hsreg itself and prints the patient's link, for
staff scripts and tests (the clinic's page is questionnaires.views).

    hsreg invite --patient 12 --form status                      # the link, to give by hand
    hsreg invite --patient 12 --form control-3m --intervention 40 --channel sms
    hsreg invite --patient 12 --access-log --channel email

The invitation is the patient's unit's (the only one they are enrolled at, else --unit RESH),
audited as made by hsreg. Only the link is printed on standard output (one line, for a
script); what was made goes to standard error, without the number or the address.
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

COMMANDS = ("invite",)
MAX_ID = 2**63 - 1
FORMS = ("status", "control-3m", "control-6m")
CHANNELS = ("link", "sms", "email")
#: the option to name when the invitation's service refuses a field
OPTION_OF_FIELD = {
    "form": "--form",
    "intervention": "--intervention",
    "channel": "--channel",
    "purpose": "--access-log",
}


def add_commands(commands: Any) -> None:
    invite = commands.add_parser(
        "invite",
        help="send a patient a questionnaire or their access-log link, and print the link",
        description="Make an invitation for a patient, as hsreg itself, and print its link: "
        "a form to answer (--form) or the link to the patient's own access log "
        "(--access-log). With --channel sms or email the message is also queued for the "
        "worker (hsreg worker). The link is random, works once and for 14 days.",
    )
    invite.add_argument(
        "--patient", type=in_range(1, MAX_ID), required=True, metavar="ID", help="registry id"
    )
    what = invite.add_mutually_exclusive_group(required=True)
    what.add_argument("--form", choices=FORMS, help="the form the patient is to answer")
    what.add_argument(
        "--access-log",
        action="store_true",
        help="send the link where the patient sees who has accessed their data",
    )
    invite.add_argument(
        "--intervention",
        type=in_range(1, MAX_ID),
        metavar="ID",
        help="the intervention a control (control-3m, control-6m) follows up",
    )
    invite.add_argument(
        "--channel", choices=CHANNELS, default="link", help="how it goes (default: link)"
    )
    invite.add_argument(
        "--unit",
        type=in_range(1, 99_999_999),
        metavar="RESH",
        help="the unit sending it (needed when the patient is enrolled at more than one)",
    )


def run(args: argparse.Namespace) -> int:
    setup_migrated_django()
    from django.contrib.auth.models import AnonymousUser  # noqa: PLC0415 - after setup
    from django.core.exceptions import PermissionDenied, ValidationError  # noqa: PLC0415

    from hsreg.accounts.actor import Actor  # noqa: PLC0415
    from hsreg.patients.models import Patient  # noqa: PLC0415
    from hsreg.questionnaires.models import Purpose  # noqa: PLC0415
    from hsreg.questionnaires.services import create_invitation, link_for  # noqa: PLC0415
    from hsreg.treatments.models import Intervention  # noqa: PLC0415
    from hsreg.units.models import Unit  # noqa: PLC0415

    patient = Patient.objects.filter(pk=args.patient).first()
    if patient is None:
        raise InputError(f"--patient {args.patient}: no patient has this registry id")
    units = list(Unit.objects.filter(enrolments__patient=patient).order_by("resh_id"))
    if args.unit is not None:
        unit = next((u for u in units if u.resh_id == args.unit), None)
        if unit is None:
            known = Unit.objects.filter(resh_id=args.unit).exists()
            raise InputError(
                f"--unit {args.unit}: "
                + (
                    "the patient is not enrolled at this unit"
                    if known
                    else "no unit has this RESH id"
                )
            )
    elif len(units) == 1:
        (unit,) = units
    else:
        raise InputError(
            f"--unit: the patient is enrolled at {len(units)} units "
            f"({', '.join(str(u.resh_id) for u in units)}); name the sending one with --unit RESH"
        )
    intervention = None
    if args.intervention is not None:
        intervention = Intervention.objects.filter(pk=args.intervention, patient=patient).first()
        if intervention is None:
            raise InputError(
                f"--intervention {args.intervention}: the patient has no intervention of this id"
            )
    actor = Actor(user=AnonymousUser(), unit=unit, role=None, request_id="cli invite")
    try:
        invitation, token = create_invitation(
            actor=actor,
            unit=unit,
            patient=patient,
            channel=args.channel,
            purpose=Purpose.ACCESS_LOG if args.access_log else Purpose.QUESTIONNAIRE,
            form=args.form or "",
            intervention=intervention,
        )
    except ValidationError as error:
        raise options_error(error, OPTION_OF_FIELD) from None
    except PermissionDenied as error:
        raise InputError(f"--unit {unit.resh_id}: {error}") from None
    what = f"form {args.form}" if args.form else "access-log link"
    print(
        f"hsreg: invitation {invitation.pk} ({what}, {args.channel}) for patient "
        f"#{patient.pk} from unit {unit.resh_id}; expires "
        f"{invitation.expires_at.isoformat(timespec='minutes')}",
        file=sys.stderr,
    )
    print(link_for(token))
    return 0
