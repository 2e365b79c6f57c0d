"""What an audit row's ``target`` says, in the reader's language.

Rows store the target as a short, stable code ("patient page", "doctorassessment 12",
"worklist labs", "new medical-history", and a page's URL name, "worklists:index", when a role
was refused it), so the log reads the same whatever language its writer used and can be
searched by machine and exported as it is (the CSV files). The pages show it in words through
``describe``: never a code (issue 12: "arbeidsliste evaluations", "nytt skjema
medical-history" and "worklists:index" were shown as they were stored)."""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FIXED: dict[str, Promise] = {
    "patient page": _("patient page"),
    "patient": _("patient"),
    "search": _("patient search"),
    "access log": _("access log"),
    "access log export": _("access log, for export"),
    "access log (patient)": _("access log, read by the patient"),
    "access log csv": _("access log, CSV export"),
    "audit log csv": _("audit log, CSV export"),
    "objection": _("objection"),
    "password": _("password"),
    "totp": _("authenticator code"),
    "recovery code": _("recovery code"),
    "NPR counts": _("NPR counts (coverage)"),
    "unit indicators csv": _("the unit's indicators, CSV export"),
    "research extract": _("research extract"),
    "sharing consent": _("consent to sharing"),
    "registration: registered at another unit": _("registration of a patient of another unit"),
}
PREFIXES: dict[str, Promise] = {
    "worklist": _("worklist"),
    "application": _("application"),
    "user": _("user"),
    "unit": _("unit"),
    "enrolment at": _("enrolment at unit"),
    "new": _("new form"),
    "annual report": _("annual report"),
    "report figure": _("table of the report figure"),
    "override drugcourse": _("safety checks overridden for drug course"),
    "sharing consent": _("consent to sharing"),
}
#: the part of the registry a page belongs to, by its URL namespace (a refused page is logged
#: by its URL name, accounts.access)
PAGES: dict[str, Promise] = {
    "web": _("a page of the start page"),
    "accounts": _("a page of accounts and users"),
    "patients": _("a page of the patients"),
    "records": _("a page of the registry forms"),
    "worklists": _("a page of the worklists"),
    "audit": _("a page of the audit log"),
    "objections": _("a page of the objections"),
    "units": _("a page of the units"),
    "reports": _("a page of the reports"),
    "open": _("a page of the open results"),
}


def describe(target: str) -> str:
    """``target`` in words: a fixed code, a form by its name and id, a prefix with its value
    (a worklist or a new form by its name), or a refused page by the part of the registry it
    belongs to; anything else as it is stored."""
    if target in FIXED:
        return str(FIXED[target])
    namespace, colon, _view = target.partition(":")
    if colon and namespace in PAGES:
        return str(PAGES[namespace])
    head, _space, tail = target.rpartition(" ")
    if head == "worklist":
        return f"{PREFIXES[head]}: {_worklist_name(tail)}"
    if head == "new":
        return f"{PREFIXES[head]}: {_form_title(tail)}"
    if head in PREFIXES:
        return f"{PREFIXES[head]} {tail}"
    form = _form_names().get(head)
    if form is not None:
        return f"{form} #{tail}"  # a form by its id, as the pages name it
    return target


def _worklist_name(name: str) -> str:
    from hsreg.worklists.views import LIST_LABELS  # noqa: PLC0415 - audit stays below the apps

    label = LIST_LABELS.get(name)
    return str(label).lower() if label is not None else name


def _form_title(slug: str) -> str:
    from hsreg.records.kinds import KINDS  # noqa: PLC0415 - audit stays below the apps

    kind = KINDS.get(slug)
    return str(kind.title).lower() if kind is not None else gettext("unknown form")


def _form_names() -> dict[str, str]:
    """Model name → verbose name of every model in hsreg's apps (the registry's forms)."""
    return {
        m._meta.model_name: str(m._meta.verbose_name)
        for m in apps.get_models()
        if m.__module__.startswith("hsreg.") and m._meta.model_name
    }
