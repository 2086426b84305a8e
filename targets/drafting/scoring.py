"""Compare a draft with a reviewed fixture: precision and recall, and every miss."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from targets.drafting.bureau_names import canonical_name
from targets.plan_text import squash


@dataclass
class Score:
    matched: int = 0
    drafted: int = 0
    expected: int = 0
    misses: list[str] = field(default_factory=list)  # expected, not drafted
    extras: list[str] = field(default_factory=list)  # drafted, not expected

    @property
    def precision(self) -> float:
        return self.matched / self.drafted if self.drafted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


@dataclass
class DraftScore:
    measures: Score
    bureaus_exact: float
    bureau_misses: list[str]
    targets: Score
    qualitative: Score

    def as_dict(self) -> dict[str, Any]:
        def block(score: Score) -> dict[str, Any]:
            return {"precision": round(score.precision, 4), "recall": round(score.recall, 4)}

        return {
            "measures": {**block(self.measures), "bureaus_exact": round(self.bureaus_exact, 4)},
            "targets": block(self.targets),
            "qualitative": block(self.qualitative),
            "misses": {
                "measures": self.measures.misses,
                "bureaus": self.bureau_misses,
                "targets": self.targets.misses,
                "qualitative": self.qualitative.misses,
            },
            "extras": {"measures": self.measures.extras, "targets": self.targets.extras},
        }


def _name_map(data: dict[str, Any]) -> dict[str, str]:
    names = {}
    for bureau in data.get("bureaus") or []:
        for alias in [bureau["name"], *(bureau.get("aliases") or [])]:
            names[str(alias)] = str(bureau["name"])
    return names


def _draft_aliases(data: dict[str, Any]) -> dict[str, list[str]]:
    return {b["name"]: [b["name"], *(b.get("aliases") or [])] for b in data.get("bureaus") or []}


def _bureau_list(names: list[str], fixture_names: dict[str, str], aliases: dict[str, list[str]]) -> list[str]:
    out = []
    for name in names:
        resolved = next((fixture_names[a] for a in aliases.get(name, [name]) if a in fixture_names), name)
        out.append(canonical_name(resolved)[0])
    return out


def score_draft(draft: dict[str, Any], fixture: dict[str, Any]) -> DraftScore:
    fixture_names = _name_map(fixture)
    draft_aliases = _draft_aliases(draft)
    expected = {m["section"]: m for m in fixture.get("measures") or []}
    drafted = {m["section"]: m for m in draft.get("measures") or []}
    measures = Score(len(set(expected) & set(drafted)), len(drafted), len(expected))
    measures.misses = [s for s in expected if s not in drafted]
    measures.extras = [s for s in drafted if s not in expected]
    exact, bureau_misses = 0, []
    for section in set(expected) & set(drafted):
        want = _bureau_list(expected[section].get("bureaus") or [], fixture_names, {})
        got = _bureau_list(drafted[section].get("bureaus") or [], fixture_names, draft_aliases)
        if want == got:
            exact += 1
        else:
            bureau_misses.append(f"{section}: expected {want}, drafted {got}")
    bureaus_exact = exact / measures.matched if measures.matched else 0.0
    return DraftScore(
        measures,
        bureaus_exact,
        sorted(bureau_misses),
        _score_quantified(draft, fixture),
        _score_qualitative(draft, fixture),
    )


def _key(target: dict[str, Any]) -> tuple:
    return (Decimal(str(target.get("value"))).normalize(), target.get("target_year"), target.get("kind"),
            target.get("comparator"))  # fmt: skip


def _describe(target: dict[str, Any]) -> str:
    return (
        f"{target.get('section')} {target.get('kind')} {target.get('comparator')} {target.get('value')} "
        f"({target.get('target_year')}): {target.get('source')}"
    )


def _score_quantified(draft: dict[str, Any], fixture: dict[str, Any]) -> Score:
    want = [t for t in fixture.get("targets") or [] if t.get("kind") != "qualitative"]
    got = [t for t in draft.get("targets") or [] if t.get("kind") != "qualitative"]
    unused = list(got)
    score = Score(0, len(got), len(want))
    for target in want:
        # Right value, year, kind and comparator, drafted where the fixture places the clause.
        near = [t for t in unused if _key(t) == _key(target) and t.get("section") == target.get("section")]
        if near:
            unused.remove(near[0])
            score.matched += 1
        else:
            score.misses.append(_describe(target))
    score.extras = [_describe(t) for t in unused]
    return score


_YEAR_WORDS = re.compile(r"[“”\"]?(?:十[四五六]五)[“”\"]?(?:期间|时期)|(?:到|至)?20\d\d年(?:年?底|年?末)?前?|[，,]")


def _overlap(a: str, b: str) -> int:
    """Longest run two clauses share, leaving out the year words every clause starts with."""
    a, b = _YEAR_WORDS.sub("", squash(a)), _YEAR_WORDS.sub("", squash(b))
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size


def _score_qualitative(draft: dict[str, Any], fixture: dict[str, Any]) -> Score:
    want = [t for t in fixture.get("targets") or [] if t.get("kind") == "qualitative"]
    got = [t for t in draft.get("targets") or [] if t.get("kind") == "qualitative"]
    unused = list(got)
    score = Score(0, len(got), len(want))
    for target in want:
        candidates = [
            t for t in unused
            if t.get("target_year") == target.get("target_year") and _overlap(t["source"], target["source"]) >= 6
        ]  # fmt: skip
        if candidates:
            unused.remove(max(candidates, key=lambda t: _overlap(t["source"], target["source"])))
            score.matched += 1
        else:
            score.misses.append(_describe(target))
    score.extras = [_describe(t) for t in unused]
    return score
