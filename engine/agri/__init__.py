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

# For pages: the vocabulary, the experts, growers' crops, and where an instance leads.
from engine.agri.experts import EXPERT_ROLE  # noqa: E402
from engine.agri.growers import villages_of_grids  # noqa: E402
from engine.agri.read_models import (  # noqa: E402
    CropArea,
    InstancePage,
    active_experts,
    growers_crops,
    instance_page,
)
from engine.agri.vocabulary import CROPS, RATINGS, SYMPTOMS  # noqa: E402

__all__ += [
    "CROPS",
    "EXPERT_ROLE",
    "RATINGS",
    "SYMPTOMS",
    "CropArea",
    "InstancePage",
    "active_experts",
    "growers_crops",
    "instance_page",
    "villages_of_grids",
]
