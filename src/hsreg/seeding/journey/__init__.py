"""One synthetic patient's forms, built in date order by a `Journey`.

A journey keeps a patient's forms consistent the way the registry would: one doctor's
assessment a day, nothing dated after ``today`` except planned courses, the patient's report
beside the assessment, scores computed by ``assessments.scoring`` as a form's save computes
them, and corrections stored as records.services stores them (the earlier version kept as
superseded). The forms are unsaved model instances linked by object; the writer inserts them.

The journey is split by concern: `base` (the patient, dates, units), `disease` (lesion states),
`history` (the medical history), `visits` (assessments, reports, corrections, drafts) and
`treatments` (interventions, courses, screening, vaccines, lab checks); `Journey` joins them.
"""

from __future__ import annotations

from .disease import State, an_of, lesions_of
from .patient import Options, SeededPatient
from .treatments import Treatments
from .visits import Visits

__all__ = ["Journey", "Options", "SeededPatient", "State", "an_of", "lesions_of"]


class Journey(Visits, Treatments):
    """Builds one patient's forms in date order, keeping them consistent (one assessment per
    day, no form dated after today, scores from assessments.scoring)."""
