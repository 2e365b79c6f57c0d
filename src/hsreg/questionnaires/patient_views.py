"""The patient's pages under /p/: opened by the link's token, after the birth date (issue 13).

The order of a visit: the link (an unknown token gets a neutral "this link does not work",
nothing of the patient, the unit or the registry; an answered, expired, locked or closed one
says which and to contact the unit) → the birth date (services.verify_birth_date: every
attempt audited, the 5th wrong one locks) → the patient's own session (patient_session) →
one screen per question group (each Next validated and kept by services.save_progress) → a
review → submit (services.submit; a second submit finds the link answered) → thank you.
An access-log link goes from the birth date to the patient's access log (access_log).

The views never read ``request.user`` or Django's session: a clinician logged in on the same
browser is neither used nor shown (patient_pages.render_page renders without the request).
"""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_http_methods, require_POST

from . import patient_session, services
from .access_log import page_number, read_page
from .answers import first_incomplete, validate_screen
from .models import MAX_FAILURES, Channel, Invitation, Purpose, State
from .patient_pages import patient_page, render_page
from .patient_screens import copyright_of, questionnaire, review_rows, shown_questions

#: wrong short codes on the tablet's screen: at most this many per client address ...
TABLET_MAX_WRONG = 10
#: ... in this many seconds, then a "wait" message
TABLET_WINDOW_SECONDS = 10 * 60
TABLET_REFRESH_SECONDS = 10


def _request_id(request: HttpRequest) -> str:
    actor = getattr(request, "actor", None)
    return getattr(actor, "request_id", "")


def _to(name: str, token: str, **kwargs: object) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(f"patient:{name}", kwargs={"token": token, **kwargs}))


def _not_found(request: HttpRequest) -> HttpResponse:
    return render_page(request, "link_invalid.html", status=404)


def _closed(request: HttpRequest, invitation: Invitation, state: State) -> HttpResponse:
    """The page of a link that opens nothing any more: which state, and what to do. Nothing
    of the patient; the tablet's returns to its neutral screen."""
    context = {"state": str(state), "tablet": invitation.channel == Channel.TABLET}
    return patient_session.end(render_page(request, "link_closed.html", context, status=410))


def _open_states(invitation: Invitation) -> tuple[State, ...]:
    if invitation.purpose == Purpose.ACCESS_LOG:
        return (State.OPEN, State.ANSWERED)
    return (State.OPEN,)


def _invitation(request: HttpRequest, token: str) -> tuple[Invitation | None, HttpResponse | None]:
    """The open invitation of ``token``, or the page to answer instead."""
    invitation = services.find(token)
    if invitation is None:
        return None, _not_found(request)
    if invitation.state not in _open_states(invitation):
        return None, _closed(request, invitation, invitation.state)
    return invitation, None


def _verified(request: HttpRequest, token: str) -> tuple[Invitation | None, HttpResponse | None]:
    """As _invitation, and only with this invitation's patient session (else: to the birth
    date)."""
    invitation, refusal = _invitation(request, token)
    if invitation is not None and not patient_session.is_verified(request, invitation):
        return None, _to("start", token)
    return invitation, refusal


def _where_to(invitation: Invitation, token: str, *, lang: str) -> HttpResponseRedirect:
    """After the birth date, or back to an open link: the access log, or the first screen
    not finished (the review when every screen is)."""
    if invitation.purpose == Purpose.ACCESS_LOG:
        return _to("access_log", token)
    instrument, _screens = questionnaire(invitation, lang=lang, today=timezone.localdate())
    index = first_incomplete(invitation.form, instrument=instrument, answers=invitation.progress)
    if index is None:
        return _to("review", token)
    return _to("screen", token, index=index + 1)


def _parse_birth_date(day: str, month: str, year: str) -> date | None:
    """The birth date typed as day, month and year, or all in the first field as dd.mm.åååå
    (also with / - or spaces); None for anything that is not a date."""
    day, month, year = day.strip(), month.strip(), year.strip()
    if not month and not year:
        parts = day.replace("/", ".").replace("-", ".").replace(" ", ".").split(".")
        parts = [p for p in parts if p]
        if len(parts) != 3:
            return None
        day, month, year = parts
    if not (day.isdigit() and month.isdigit() and year.isdigit()):
        return None
    if len(day) > 2 or len(month) > 2 or len(year) != 4:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


@patient_page
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, token: str) -> HttpResponse:
    """The link: the birth-date check (nothing of the patient is shown before it)."""
    invitation, refusal = _invitation(request, token)
    if invitation is None:
        return refusal  # type: ignore[return-value]
    lang = patient_session.language(request)
    if request.method == "GET":
        if patient_session.is_verified(request, invitation):
            return patient_session.keep(_where_to(invitation, token, lang=lang), invitation)
        return render_page(request, "birth_date.html", _birth_context(invitation))
    fields = [request.POST.get(name, "")[:20] for name in ("day", "month", "year")]
    if not any(f.strip() for f in fields):
        context = _birth_context(invitation, error=_("Write your birth date."), values=fields)
        return render_page(request, "birth_date.html", context)
    birth_date = _parse_birth_date(*fields)
    try:
        right = services.verify_birth_date(
            invitation=invitation, birth_date=birth_date, request_id=_request_id(request)
        )
    except services.LinkClosedError as closed:
        return _closed(request, invitation, closed.state)
    if right:
        invitation.refresh_from_db()
        return patient_session.keep(_where_to(invitation, token, lang=lang), invitation)
    invitation.refresh_from_db()
    if invitation.state == State.LOCKED:
        return _closed(request, invitation, State.LOCKED)
    left = MAX_FAILURES - invitation.failed_attempts
    error = _(
        "The birth date does not match. Attempts left before the link is locked: %(left)s."
    ) % {"left": left}
    return render_page(request, "birth_date.html", _birth_context(invitation, error=error))


def _birth_context(
    invitation: Invitation, *, error: str = "", values: list[str] | None = None
) -> dict[str, object]:
    day, month, year = values or ["", "", ""]
    return {
        "error": error,
        "day": day,
        "month": month,
        "year": year,
        "tablet": invitation.channel == Channel.TABLET,
    }


@patient_page
@require_http_methods(["GET", "POST"])
def screen(request: HttpRequest, token: str, index: int) -> HttpResponse:
    """Screen ``index`` (1-based) of the questionnaire: Back keeps what is valid, Next
    validates the screen and keeps its answers on the server."""
    invitation, refusal = _verified(request, token)
    if invitation is None:
        return refusal  # type: ignore[return-value]
    if invitation.purpose != Purpose.QUESTIONNAIRE:
        return _to("access_log", token)
    lang = patient_session.language(request)
    instrument, all_screens = questionnaire(invitation, lang=lang, today=timezone.localdate())
    if not 1 <= index <= len(all_screens):
        return patient_session.keep(_where_to(invitation, token, lang=lang), invitation)
    current = all_screens[index - 1]
    progress = dict(invitation.progress)
    errors: dict[str, str] = {}
    values: object = progress
    if request.method == "POST":
        data = {k: v[:200] for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        answers, errors = validate_screen(current, data, earlier=progress, lang=lang)
        back = request.POST.get("go") == "back"
        if back or not errors:
            try:
                services.save_progress(
                    invitation=invitation,
                    answers=answers,
                    clear=() if back else [q.link_id for q in current.questions],
                )
            except services.LinkClosedError as closed:
                return _closed(request, invitation, closed.state)
            if back:
                target = _to("screen", token, index=index - 1) if index > 1 else _to("start", token)
            elif index < len(all_screens):
                target = _to("screen", token, index=index + 1)
            else:
                target = _to("review", token)
            return patient_session.keep(target, invitation)
        values = data
    context = {
        "token": token,
        "index": index,
        "step": index,
        "steps": len(all_screens) + 1,
        "screen": current,
        "questions": shown_questions(
            current,
            values=values,  # type: ignore[arg-type]
            earlier=progress,
            errors=errors,
            lang=lang,
        ),
        "errors": errors,
        "copyright": copyright_of(current, instrument=instrument, lang=lang),
        "unit": invitation.unit.name,
    }
    status = 400 if errors else 200
    return patient_session.keep(
        render_page(request, "screen.html", context, status=status), invitation
    )


@patient_page
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, token: str) -> HttpResponse:
    """Every answer on one page, then Submit: the answers become the patient's report
    (services.submit). A second submit (a double tap, Back and Submit) finds the link
    answered and shows the thank-you page; it never makes a second report."""
    invitation = services.find(token)
    if (
        request.method == "POST"
        and invitation is not None
        and invitation.state == State.ANSWERED
        and invitation.purpose == Purpose.QUESTIONNAIRE
    ):
        return _to("done", token)
    invitation, refusal = _verified(request, token)
    if invitation is None:
        return refusal  # type: ignore[return-value]
    if invitation.purpose != Purpose.QUESTIONNAIRE:
        return _to("access_log", token)
    lang = patient_session.language(request)
    instrument, all_screens = questionnaire(invitation, lang=lang, today=timezone.localdate())
    answers = dict(invitation.progress)
    incomplete = first_incomplete(invitation.form, instrument=instrument, answers=answers)
    error = ""
    if request.method == "POST":
        if incomplete is not None:
            return _to("screen", token, index=incomplete + 1)
        try:
            services.submit(invitation=invitation, answers=answers, request_id=_request_id(request))
        except services.LinkClosedError as closed:
            if closed.state == State.ANSWERED:
                return _to("done", token)
            return _closed(request, invitation, closed.state)
        except ValidationError:
            with override(lang):
                error = _("Some answers could not be saved. Check them and try again.")
        else:
            return _to("done", token)
    context = {
        "token": token,
        "step": len(all_screens) + 1,
        "steps": len(all_screens) + 1,
        "rows": review_rows(all_screens, answers=answers, instrument=instrument, lang=lang),
        "incomplete": incomplete,
        "error": error,
        "unit": invitation.unit.name,
        "last_screen": len(all_screens),
    }
    return patient_session.keep(
        render_page(request, "review.html", context, status=400 if error else 200), invitation
    )


@patient_page
@require_http_methods(["GET"])
def done(request: HttpRequest, token: str) -> HttpResponse:
    """Thank you. The patient's session ends here; on the tablet the page says to give the
    tablet back and returns to the neutral screen by itself."""
    invitation = services.find(token)
    if invitation is None:
        return _not_found(request)
    if invitation.state != State.ANSWERED or invitation.purpose != Purpose.QUESTIONNAIRE:
        return _to("start", token)
    tablet = invitation.channel == Channel.TABLET
    context = {"tablet": tablet, "refresh_seconds": TABLET_REFRESH_SECONDS}
    return patient_session.end(render_page(request, "thanks.html", context))


@patient_page
@require_http_methods(["GET"])
def access_log(request: HttpRequest, token: str) -> HttpResponse:
    """Who has seen the patient's data (access_log); the look is itself logged."""
    invitation, refusal = _verified(request, token)
    if invitation is None:
        return refusal  # type: ignore[return-value]
    number = page_number(request.GET.get("page", "1")[:20])
    lang = patient_session.language(request)
    with override(lang):
        page = read_page(invitation=invitation, number=number, request_id=_request_id(request))
        context = {
            "token": token,
            "page": page,
            "unit": invitation.unit.name,
            "questionnaire": invitation.purpose == Purpose.QUESTIONNAIRE,
            "tablet": invitation.channel == Channel.TABLET,
        }
        response = render_page(request, "access_log.html", context)
    return patient_session.keep(response, invitation)


def _client_key(request: HttpRequest) -> str:
    return "hsreg:patient:tablet-wrong:" + request.META.get("REMOTE_ADDR", "")[:64]


@patient_page
@require_http_methods(["GET", "POST"])
def tablet(request: HttpRequest) -> HttpResponse:
    """The clinic tablet's neutral screen: the short code the clinician gives → that
    invitation's link. It shows nothing else, and ends any patient session on the tablet.
    Wrong codes are limited per client address (TABLET_MAX_WRONG per TABLET_WINDOW_SECONDS)."""
    key = _client_key(request)
    error = ""
    status = 200
    code = ""
    if request.method == "POST":
        code = request.POST.get("code", "")[:40]
        if cache.get(key, 0) >= TABLET_MAX_WRONG:
            error, status = "wait", 429
        else:
            invitation = services.find_short_code(code)
            if invitation is not None and invitation.usable:
                response = HttpResponseRedirect(
                    reverse("patient:start", kwargs={"token": services.token_of(invitation)})
                )
                return patient_session.end(response)
            cache.add(key, 0, TABLET_WINDOW_SECONDS)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, TABLET_WINDOW_SECONDS)
            error, status = "wrong", 400
    context = {"error": error, "code": code, "tablet": True}
    return patient_session.end(render_page(request, "tablet.html", context, status=status))


@patient_page
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The "English" / "Norsk" switch: the choice is kept in the patient's own language
    cookie, and the page is shown again (only a page under /p/)."""
    lang = request.POST.get("language", "")
    target = request.POST.get("next", "")[:300]
    if not (
        target.startswith("/p/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        target = "/p/"  # only a forged form gets here: the neutral page
    response = HttpResponseRedirect(target)
    if lang in patient_session.LANGUAGES:
        patient_session.choose_language(response, lang)
    return response


@patient_page
def not_found(request: HttpRequest) -> HttpResponse:
    """Anything else under /p/: the same neutral page as an unknown link."""
    return _not_found(request)
