"""``POST /api/evaluate``: the guideline engine as a service for other systems (issue 14, point 4).

One face on the one engine: the request body is validated by the case document's own pydantic
model (guideline.case.Case) and evaluated by the same function as ``hsreg evaluate``
(guideline.evaluate, with today's date where the document has no ``as_of``), and the answer is
`Evaluation.to_dict(lang)`, the JSON the command prints. The body is read as strictly as the
command reads a file (guideline.load_json: a duplicate key, NaN or Infinity is refused).

Bad input is a 422 ``{"detail": [{"loc": ["body", "assessments", 0, "nodules"], "msg": "must
be a whole number >= 0", "type": "invalid_value"}]}``: one item per problem, with the message
the command prints for it (guideline.problems), the field's path as ninja's ``loc``, and the
offending value never repeated (a birth date must not reach a log). Engine-level problems (a
date after ``as_of``, totals that are not the sums of the regions, JSON that does not parse)
are answered the same way, never as a 500.

The caller is an API client of issue 14 point 2 with a bearer token from ``/oauth/token/``
(client credentials) granting ``system/GuidanceResponse.c`` (apiclients.scopes: FHIR's
GuidanceResponse is the resource of a decision-support evaluation). ``SmartClient`` calls the
one door, apiclients.auth.client_actor: a missing, unknown, expired or revoked token is a 401
and a token without the scope a 403, each with RFC 6750's ``WWW-Authenticate`` challenge (and
the refused scope audited as denied, there). The views read no cookie or session, so ninja
needs no CSRF check on them (it applies one only to cookie-based auth).

No audit row is written for an evaluation, on purpose. The audit log records access to the
registry's patient data (who has seen which patient); the engine reads no patient of the
registry and stores nothing: the case document is the caller's own data, evaluated in memory
and forgotten. A row per call would name no patient, and writing the document (or any part
of it) into the log would itself keep personal data the registry was never given.

The OpenAPI document (``/api/openapi.json``, public: it describes the interface only) holds
the case document's schema (the same model), the evaluation's schema read off the engine's
result types (engine_api.evaluation_schema), the 401/403/413/422 answers and the OAuth 2.0
client-credentials scheme with its token URL and scope. Ninja's interactive docs page is off:
it loads its scripts from a CDN, which the registry's Content-Security-Policy forbids.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pydantic
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError, ValidationErrorContext
from ninja.parser import Parser
from ninja.security.base import AuthBase
from ninja.types import DictStrAny

from hsreg import __version__
from hsreg.accounts.actor import Actor
from hsreg.apiclients.auth import RefusedError, client_actor
from hsreg.apiclients.scopes import SCOPES
from hsreg.guideline import Case, CaseError, Lang, Problem, evaluate, load_json
from hsreg.guideline.problems import DOCUMENT, field_path, problems_from

from .evaluation_schema import REF_TEMPLATE, evaluation_schemas

#: the SMART v2 scope of an evaluation (apiclients.scopes.SCOPES)
SCOPE = "system/GuidanceResponse.c"
SECURITY_SCHEME = "smart"
_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


class FieldError(Schema):
    """One problem with the request: where (``loc``), what is wrong (``msg``), its kind."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(Schema):
    """Every problem found in the request (422)."""

    detail: list[FieldError]


class Refusal(Schema):
    """Why the call is not answered (401, 403, 413)."""

    detail: str


class CaseParser(Parser):
    """Reads the body as ``hsreg evaluate`` reads a file (guideline.load_json)."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        document: DictStrAny = load_json(request.body)
        return document


class SmartClient(AuthBase):
    """An API client's bearer token covering ``scope`` (apiclients.auth.client_actor); the
    refusals it raises are answered by ``_refused``. Described in OpenAPI as OAuth 2.0 client
    credentials (the token URL and scope are filled in by ``EngineApi.get_openapi_schema``)."""

    openapi_type = "oauth2"
    openapi_description = (
        "OAuth 2.0 client credentials of an hsreg API client (hsreg apiclient create); "
        "send the access token as 'Authorization: Bearer <token>'."
    )
    openapi_flows: DictStrAny = {}

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def __call__(self, request: HttpRequest) -> Actor:
        return client_actor(request, scope=self.scope)


def loc_of(path: str) -> list[str | int]:
    """``assessments[0].nodules`` → ``["assessments", 0, "nodules"]``; the document → ``[]``."""
    if path == DOCUMENT:
        return []
    return [int(index) if index else name for index, name in _PATH_PART.findall(path)]


def _field_errors(
    problems: tuple[Problem, ...] | list[Problem],
    *,
    source: str,
    strip: str | None = None,
    kinds: dict[str, str] | None = None,
    default_kind: str,
) -> list[dict[str, Any]]:
    errors = []
    for problem in problems:
        loc = loc_of(problem.path)
        if strip is not None and loc[:1] == [strip]:
            loc = loc[1:]
        kind = (kinds or {}).get(problem.path, default_kind)
        errors.append({"loc": [source, *loc], "msg": problem.message, "type": kind})
    return errors


class EngineApi(NinjaAPI):
    """NinjaAPI with hsreg's bad-input answers and its OpenAPI additions."""

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        """Pydantic's errors with the engine's messages (guideline.problems.problems_from, as
        the command prints them) and without the wrapping body field in ``loc``."""
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            error: pydantic.ValidationError = context.pydantic_validation_error
            kinds = {field_path(e["loc"]): e["type"] for e in error.errors(include_url=False)}
            errors += _field_errors(
                problems_from(error),
                source=context.model.__ninja_param_source__,
                strip=getattr(context.model, "__read_from_single_attr__", None),
                kinds=kinds,
                default_kind="value_error",
            )
        return ValidationError(errors)

    def get_root_path(self, path_params: DictStrAny) -> str:
        """Where the API is mounted (``/api/``), read off the OpenAPI document's URL: ninja's
        own root page is not served (engine_api.urls)."""
        document = reverse(f"{self.urls_namespace}:openapi-json", kwargs=path_params)
        return document.removesuffix(str(self.openapi_url).lstrip("/"))

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: DictStrAny | None = None
    ) -> Any:
        """Ninja's document plus what it cannot say itself: the evaluation's schema as the 200
        answer, and the scheme's token URL and each operation's scope."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema["components"]["schemas"]
        results = evaluation_schemas()
        clash = set(results) & set(components)
        if clash:
            raise TypeError(f"result and case schemas share names: {sorted(clash)}")
        components.update(results)
        schemes = schema["components"].setdefault("securitySchemes", {})
        scheme = dict(schemes.pop(SmartClient.__name__, {}))
        scheme["flows"] = {
            "clientCredentials": {
                "tokenUrl": reverse("oauth2_provider:token"),
                "scopes": {SCOPE: SCOPES[SCOPE]},
            }
        }
        schemes[SECURITY_SCHEME] = scheme
        for operations in schema["paths"].values():
            for operation in operations.values():
                if "security" in operation:
                    operation["security"] = [{SECURITY_SCHEME: [SCOPE]}]
        return schema


api = EngineApi(
    title="hsreg guideline engine",
    version=__version__,
    description=(
        "The NFDV guideline for biologics in hidradenitis suppurativa as a service: a case "
        "document in, the evaluation out, every result explained by the rule ids of RULES.md. "
        "The same engine, case document and evaluation as the command `hsreg evaluate` "
        "(`hsreg schema` prints the case document's JSON Schema)."
    ),
    urls_namespace="engine_api",
    docs_url=None,
    parser=CaseParser(),
)


@api.exception_handler(RefusedError)
def _refused(request: HttpRequest, error: RefusedError) -> HttpResponse:
    """401 or 403 as RFC 6750 says, with the challenge in ``WWW-Authenticate``."""
    response = api.create_response(request, {"detail": str(error)}, status=error.status)
    response["WWW-Authenticate"] = error.challenge
    return response


@api.exception_handler(CaseError)
def _bad_case(request: HttpRequest, error: CaseError) -> HttpResponse:
    """A case the engine refused after validation (guideline.history: dates after ``as_of``,
    totals that are not the regions' sums …): 422 naming each field."""
    detail = _field_errors(error.problems, source="body", default_kind="inconsistent")
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    """A body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), met by the first reader of
    the body (the token check reads it too, for an access token sent as a form field)."""
    return api.create_response(request, {"detail": "The request body is too large."}, status=413)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    """Ninja wraps a body it could not read in a 400; say what was wrong instead: JSON that is
    not strict JSON is a 422 like any bad input, a body over Django's limit a 413."""
    cause = error.__cause__
    if isinstance(cause, CaseError):
        detail = _field_errors(cause.problems, source="body", default_kind="invalid_json")
        return api.create_response(request, {"detail": detail}, status=422)
    if isinstance(cause, RequestDataTooBig):
        return _too_big(request, cause)
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)


@api.post(
    "/evaluate",
    auth=SmartClient(SCOPE),
    response={401: Refusal, 403: Refusal, 413: Refusal, 422: ValidationErrors},
    summary="Evaluate a case document by the NFDV guideline",
    url_name="evaluate",
    openapi_extra={
        "responses": {
            200: {
                "description": "The evaluation, as `hsreg evaluate` prints it.",
                "content": {
                    "application/json": {"schema": {"$ref": REF_TEMPLATE.format(name="Evaluation")}}
                },
            },
            401: {"description": "No bearer token, or an unknown, expired or revoked one."},
            403: {"description": f"The token does not grant {SCOPE}."},
            413: {"description": "The request body is larger than the server accepts."},
            422: {"description": "Bad input: every problem with its field's path (loc)."},
        }
    },
)
def evaluate_case(
    request: HttpRequest,
    case: Case,
    lang: Query[Lang] = "nb",
) -> HttpResponse:
    """The evaluation of one case document on its ``as_of`` (default: today), its texts in
    ``lang`` (nb, Norwegian bokmål, or en); every result names its rule ids."""
    evaluation = evaluate(case, today=date.today())
    return JsonResponse(evaluation.to_dict(lang), json_dumps_params={"ensure_ascii": False})
