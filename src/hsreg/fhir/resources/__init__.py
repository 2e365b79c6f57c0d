"""The FHIR R4 resources hsreg serves, built as plain dicts from the stored forms (issue 14).

One module per resource type; each builder takes rows already read through hsreg.fhir.reads
(so it makes no query of its own) and returns JSON-ready data that validates with
fhir.resources' R4B models (the tests check every resource the API returns)."""
