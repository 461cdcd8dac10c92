"""Crops and symptoms growers choose from (Chinese labels; codes are stored)."""

from __future__ import annotations

# Jülu's crops: honeysuckle first (130,000 mu), then the usual field crops and orchards.
CROPS: dict[str, str] = {
    "honeysuckle": "金银花",
    "wheat": "小麦",
    "corn": "玉米",
    "wolfberry": "枸杞",
    "apricot": "杏",
    "pear": "梨",
    "vegetables": "蔬菜",
    "other": "其他作物",
}

SYMPTOMS: dict[str, str] = {
    "leaf_drying": "叶片干枯发黄",
    "leaf_spots": "叶片病斑",
    "pests": "虫害",
    "flower_fruit_drop": "落花落果",
    "poor_growth": "长势弱",
    "root_rot": "烂根",
    "fertiliser": "施肥用药咨询",
    "other": "其他",
}

# Honeysuckle questions go to the catalog's 金银花病虫害, every other crop to 农作物病虫害.
MATTER_OF_CROP = {"honeysuckle": "D10-02"}
DEFAULT_MATTER = "D10-01"

RATINGS: dict[str, str] = {
    "5": "非常满意",
    "4": "满意",
    "3": "基本满意",
    "2": "不太满意",
    "1": "不满意",
}


def crop_label(code: str) -> str:
    return CROPS.get(code, code)


def symptom_label(code: str) -> str:
    return SYMPTOMS.get(code, code)
