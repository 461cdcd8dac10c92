"""Time limits of a matter: sign-for, handling, and the number of extensions allowed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Unit = Literal["hours", "working_days"]

_PATTERN = re.compile(r"^\s*(-?\d+)\s*(小时|个工作日|工作日)\s*$")
_LABEL: dict[str, str] = {"hours": "小时", "working_days": "个工作日"}
HOURS_PER_WORKING_DAY = 24
MAX_EXTENSIONS = 3


@dataclass(frozen=True)
class TimeLimit:
    """An amount of hours or working days, written ``2小时`` or ``5个工作日``."""

    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: object) -> TimeLimit:
        """Parse ``N小时`` / ``N个工作日`` (``N工作日`` accepted).

        :raises ValueError: with a Chinese message when the text is not a time limit.
        """
        match = _PATTERN.match(str(text)) if isinstance(text, str | int) else None
        if not match:
            raise ValueError(f"时限“{text}”无法识别，应写作“2小时”或“5个工作日”")
        unit: Unit = "hours" if match.group(2) == "小时" else "working_days"
        return cls(int(match.group(1)), unit)

    def __str__(self) -> str:
        return f"{self.amount}{_LABEL[self.unit]}"

    def upper_bound_hours(self) -> int:
        """Longest span in hours, for comparing limits of different units."""
        return self.amount * (1 if self.unit == "hours" else HOURS_PER_WORKING_DAY)

    def to_dict(self) -> dict[str, object]:
        return {"amount": self.amount, "unit": self.unit, "text": str(self)}


@dataclass(frozen=True)
class TimeLimits:
    """Sign-for limit, handling limit and the number of extensions a unit may ask for."""

    sign_for: TimeLimit
    handle: TimeLimit
    extensions: int

    def problems(self) -> list[str]:
        """Chinese descriptions of what is invalid about these limits (empty if valid)."""
        found: list[str] = []
        for label, limit in (("签收时限", self.sign_for), ("办理时限", self.handle)):
            if limit.amount <= 0:
                found.append(f"{label}“{limit}”必须大于零")
        if self.sign_for.unit == "working_days" and self.sign_for.amount > 3:
            found.append(f"签收时限“{self.sign_for}”过长，不得超过3个工作日")
        positive = self.sign_for.amount > 0 and self.handle.amount > 0
        if positive and self.sign_for.upper_bound_hours() > self.handle.upper_bound_hours():
            found.append(f"签收时限“{self.sign_for}”长于办理时限“{self.handle}”")
        if not 0 <= self.extensions <= MAX_EXTENSIONS:
            found.append(f"可延期次数 {self.extensions} 应在 0 到 {MAX_EXTENSIONS} 之间")
        return found

    def to_dict(self) -> dict[str, object]:
        return {
            "sign_for": str(self.sign_for),
            "handle": str(self.handle),
            "extensions": self.extensions,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> TimeLimits:
        ext = data.get("extensions")
        if isinstance(ext, bool) or not isinstance(ext, int):
            raise ValueError(f"可延期次数“{ext}”应为整数")
        return cls(TimeLimit.parse(data.get("sign_for")), TimeLimit.parse(data.get("handle")), ext)
