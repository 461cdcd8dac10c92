"""Engine configuration from the environment (one explicit source, no silent fallbacks)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EngineConfig:
    database_url: str
    instance_dir: Path
    sweep_interval_s: float

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> EngineConfig:
        env = dict(os.environ if environ is None else environ)
        instance_dir = Path(env.get("JUHAOBAN_INSTANCE_DIR", Path.cwd() / "instance")).resolve()
        url = env.get("JUHAOBAN_DATABASE_URL") or f"sqlite:///{instance_dir / 'juhaoban.sqlite'}"
        return cls(
            database_url=url,
            instance_dir=instance_dir,
            sweep_interval_s=float(env.get("JUHAOBAN_SWEEP_INTERVAL_S", "30")),
        )

    def ensure_instance_dir(self) -> None:
        self.instance_dir.mkdir(parents=True, exist_ok=True)
