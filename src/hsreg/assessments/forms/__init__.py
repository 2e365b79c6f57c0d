"""The clinical forms: medical history, the patient's report (DLQI, pain, the follow-up) and the
doctor's assessment with its grid of body regions.

Scores are never computed here: assessments.scoring calls the guideline engine, both when a form
is saved and for the live preview (records:live), which reads the same form leniently.
"""

from .common import (
    AGES,
    CELLS,
    COUNTS,
    age_on,
    branches,
    check_control_date,
    lenient_values,
)
from .doctor import DoctorAssessmentForm, hs_iga_live
from .history import MedicalHistoryForm
from .report import (
    CDLQI_ANSWER,
    CDLQI_LABELS,
    CDLQI_LAYOUT,
    CDLQI_ONLY,
    DLQI_ONLY,
    PREVENTED_SCHOOL,
    PatientReportForm,
)

__all__ = [
    "AGES",
    "CDLQI_ANSWER",
    "CDLQI_LABELS",
    "CDLQI_LAYOUT",
    "CDLQI_ONLY",
    "CELLS",
    "COUNTS",
    "DLQI_ONLY",
    "PREVENTED_SCHOOL",
    "DoctorAssessmentForm",
    "MedicalHistoryForm",
    "PatientReportForm",
    "age_on",
    "branches",
    "check_control_date",
    "hs_iga_live",
    "lenient_values",
]
