"""Agricultural expert consultation and guidance pushes (issue 11, ADR 0008)."""

from engine.agri.desk import CONSULTATION_PROCESS, PUSH_PROCESS, AgriDesk, OpenTask
from engine.agri.experts import EXPERT_ROLE
from engine.agri.growers import GrowerRejected, villages_of_grids
from engine.agri.read_models import (
    CropArea,
    InstancePage,
    active_experts,
    growers_crops,
    instance_page,
)
from engine.agri.vocabulary import CROPS, RATINGS, SYMPTOMS

__all__ = [
    "CONSULTATION_PROCESS",
    "CROPS",
    "EXPERT_ROLE",
    "PUSH_PROCESS",
    "RATINGS",
    "SYMPTOMS",
    "AgriDesk",
    "CropArea",
    "GrowerRejected",
    "InstancePage",
    "OpenTask",
    "active_experts",
    "growers_crops",
    "instance_page",
    "villages_of_grids",
]
