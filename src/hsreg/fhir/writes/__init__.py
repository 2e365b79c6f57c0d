"""The FHIR API's writes (issue 14 point 1): a QuestionnaireResponse becomes the patient's
report, a transaction Bundle of Observations the doctor's assessment. Both go through the
clinic's own forms and records.services.save_record, so they are checked, stored and audited
exactly as the pages' are: the API is another face on the same services, not a second path.

``create_questionnaire_response(request, actor)`` is called by the QuestionnaireResponse view
for a POST (after ``fhir_api`` checked ``system/QuestionnaireResponse.c``); ``transaction`` is
the view of ``POST /fhir`` (URL name ``fhir:transaction``)."""

from .bundle import transaction_view as transaction
from .questionnaire_response import create_questionnaire_response

__all__ = ["create_questionnaire_response", "transaction"]
