"""Agricultural expert consultation and guidance pushes (issue 11, ADR 0008)."""

from engine.agri.desk import CONSULTATION_PROCESS, PUSH_PROCESS, AgriDesk, OpenTask
from engine.agri.growers import GrowerRejected
from engine.agri.models import (
    Consultation,
    ConsultationMessage,
    ExpertSpecialty,
    Grower,
    GrowerCrop,
    GuidancePush,
    PushReceipt,
)

__all__ = [
    "CONSULTATION_PROCESS",
    "PUSH_PROCESS",
    "AgriDesk",
    "Consultation",
    "ConsultationMessage",
    "ExpertSpecialty",
    "Grower",
    "GrowerCrop",
    "GrowerRejected",
    "GuidancePush",
    "OpenTask",
    "PushReceipt",
]
