"""The labelled complaint texts that ship with the platform (``rules/intake_texts``).

Written the way residents and grid workers type or dictate them, one file per domain and
split: ``train/D05.tsv`` teaches the shipped model, ``test/D05.tsv`` only measures it (the
two splits were written separately, so the test texts are not rephrasings of training ones).
A line is ``MATTER_ID<TAB>text``. ``not_complaints.txt`` holds what people type that is not a
complaint at all (greetings, "测试一下", "我要投诉" with nothing after it), one per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

TEXTS = Path(__file__).parent / "intake_texts"
SPLITS = ("train", "test")


@dataclass(frozen=True)
class LabelledText:
    """A complaint text and the matter a person who knows the catalog gave it."""

    text: str
    matter_id: str


@cache
def shipped_texts(split: str) -> tuple[LabelledText, ...]:
    """Every shipped text of one split, in file order."""
    return tuple(t for texts in written_sets(split).values() for t in texts)


@cache
def written_sets(split: str) -> dict[str, tuple[LabelledText, ...]]:
    """The split's texts by the set they were written in: ``D05.tsv`` is set "1",
    ``D05-2.tsv`` set "2" (each set written independently of the others)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    sets: dict[str, list[LabelledText]] = {}
    for path in sorted((TEXTS / split).glob("*.tsv")):
        _, _, written = path.stem.partition("-")
        out = sets.setdefault(written or "1", [])
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            matter_id, sep, text = line.partition("\t")
            if not sep or not text.strip() or "\t" in text:
                raise ValueError(f"{path.name} line {number}: expected MATTER_ID<TAB>text")
            out.append(LabelledText(text.strip(), matter_id.strip()))
    return {name: tuple(texts) for name, texts in sorted(sets.items())}


@cache
def not_complaints() -> tuple[str, ...]:
    """Texts that name no problem: the classifier learns them as their own class, so a
    greeting gets no suggestion instead of a confident-looking matter."""
    lines = (TEXTS / "not_complaints.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip())
