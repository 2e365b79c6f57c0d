"""The JSON Schema of the evaluation `POST /api/evaluate` answers, read off the engine's own
result types.

The evaluation is not a pydantic model: the engine builds frozen dataclasses (guideline.
evaluation.Evaluation and the results it holds) and `Evaluation.to_dict` turns them into JSON
(guideline.jsonable). This module walks the same dataclasses by their type hints and says what
`to_jsonable` makes of each type, so the OpenAPI document cannot drift from the engine: a field
added to a result appears in the schema, and the schemathesis test (tests/engine_api) checks
every answer against it. The mapping follows `to_jsonable` exactly: a `Text` is one string in
the chosen language, an `Explanation` is ``{rule_id, text, topic}``, a date is ``YYYY-MM-DD``,
tuples and lists are arrays, and a result's own explanations (``metadata={"json": False}``) are
left out, as they join the top-level ``explanations``.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from datetime import date
from typing import Any, Literal

from hsreg.guideline.evaluation import Evaluation
from hsreg.guideline.text import Explanation, Text

REF_TEMPLATE = "#/components/schemas/{name}"
Schema = dict[str, Any]

_SCALARS: dict[type, Schema] = {
    type(None): {"type": "null"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    str: {"type": "string"},
    date: {"type": "string", "format": "date"},
    Text: {"type": "string", "description": "A text in the language asked for (lang)."},
}

_EXPLANATION: Schema = {
    "type": "object",
    "description": "Why a result is what it is: the rule of RULES.md, the text, the part of "
    "the evaluation it belongs to.",
    "properties": {
        "rule_id": {"type": "string", "description": "The rule id of RULES.md, e.g. TX-6."},
        "text": {"type": "string"},
        "topic": {"type": "string"},
    },
    "required": ["rule_id", "text", "topic"],
    "additionalProperties": False,
}


def evaluation_schemas() -> dict[str, Schema]:
    """Every schema of the evaluation by name, ``Evaluation`` among them, each nested result
    a ``$ref`` (``#/components/schemas/<dataclass name>``), as OpenAPI's components hold them."""
    schemas: dict[str, Schema] = {"Explanation": _EXPLANATION}
    _dataclass(Evaluation, schemas, {})
    return schemas


def _dataclass(kind: type, schemas: dict[str, Schema], owners: dict[str, type]) -> Schema:
    name = kind.__name__
    if owners.setdefault(name, kind) is not kind:
        raise TypeError(f"two result types are called {name}: {owners[name]!r}, {kind!r}")
    if name not in schemas:
        schemas[name] = {}  # reserved first: a result may refer to its own kind
        # the module's names, not the class's: a slots field named `date` would hide the type
        module = vars(sys.modules[kind.__module__])
        hints = typing.get_type_hints(kind, module, module)
        shown = [f for f in dataclasses.fields(kind) if f.metadata.get("json", True)]
        schemas[name] = {
            "type": "object",
            "title": name,
            "properties": {f.name: _schema(hints[f.name], schemas, owners) for f in shown},
            "required": [f.name for f in shown],
            "additionalProperties": False,
        }
        doc = (kind.__doc__ or "").strip()
        if doc and not doc.startswith(f"{name}("):  # not the dataclass's generated signature
            schemas[name]["description"] = " ".join(doc.split())
    return {"$ref": REF_TEMPLATE.format(name=name)}


def _schema(hint: Any, schemas: dict[str, Schema], owners: dict[str, type]) -> Schema:
    """What ``to_jsonable`` makes of a value of type ``hint``, as JSON Schema."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Explanation:
        return {"$ref": REF_TEMPLATE.format(name="Explanation")}
    if hint in _SCALARS:
        return dict(_SCALARS[hint])
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_schema(arg, schemas, owners) for arg in args]}
    if origin in (tuple, list):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return {
                "type": "array",
                "prefixItems": [_schema(arg, schemas, owners) for arg in args],
                "minItems": len(args),
                "maxItems": len(args),
            }
        return {"type": "array", "items": _schema(args[0], schemas, owners)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _schema(args[1], schemas, owners)}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass(hint, schemas, owners)
    raise TypeError(f"no JSON Schema for {hint!r}: teach engine_api.evaluation_schema")
