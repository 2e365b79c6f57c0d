"""What an audit row's ``target`` says, in the reader's language.

Rows store the target as a short, stable code ("patient page", "doctorassessment 12",
"worklist labs"), so the log reads the same whatever language its writer used and can be
searched by machine; the pages show it in words through ``describe``."""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FIXED: dict[str, Promise] = {
    "patient page": _("patient page"),
    "patient": _("patient"),
    "search": _("patient search"),
    "access log": _("access log"),
    "access log export": _("access log, for export"),
    "access log csv": _("access log, CSV export"),
    "audit log csv": _("audit log, CSV export"),
    "objection": _("objection"),
    "password": _("password"),
    "totp": _("authenticator code"),
    "recovery code": _("recovery code"),
    "NPR counts": _("NPR counts (coverage)"),
    "unit indicators csv": _("the unit's indicators, CSV export"),
    "research extract": _("research extract"),
}
PREFIXES: dict[str, Promise] = {
    "worklist": _("worklist"),
    "application": _("application"),
    "user": _("user"),
    "unit": _("unit"),
    "enrolment at": _("enrolment at unit"),
    "new": _("new form"),
    "annual report": _("annual report"),
}


def describe(target: str) -> str:
    """``target`` in words: a fixed code, a form by its name and id, or a prefix with its
    value; anything else (a page's URL name in a denial) as it is stored."""
    if target in FIXED:
        return str(FIXED[target])
    head, _space, tail = target.rpartition(" ")
    if head in PREFIXES:
        return f"{PREFIXES[head]} {tail}"
    form = _form_names().get(head)
    if form is not None:
        return f"{form} {tail}"
    return target


def _form_names() -> dict[str, str]:
    """Model name → verbose name of every model in hsreg's apps (the registry's forms)."""
    return {
        m._meta.model_name: str(m._meta.verbose_name)
        for m in apps.get_models()
        if m.__module__.startswith("hsreg.") and m._meta.model_name
    }
