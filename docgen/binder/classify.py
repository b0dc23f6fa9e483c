"""The pack's marking: the strictest of its articles', never above the pack's own.

Checked before anything renders (an article marked above its pack is an error at the
article's ``classification`` line) and computed again inside the pack's jobs, which see
the same bytes and so find the same marking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, Problem
from ..model import Document, Pos
from .config import Pack
from .marking import Levels, strictest


@dataclass(frozen=True)
class PackMarking:
    """The pack's rank (None: nothing is marked) and its problems."""

    rank: int | None
    problems: tuple[Problem, ...] = ()

    def text(self, levels: Levels, lang: str) -> str:
        """The marking as printed in ``lang``: the level's name in that language."""
        return "" if self.rank is None else levels.name(self.rank, lang)


def pack_marking(pack: Pack, docs: Sequence[Document], levels: Levels) -> PackMarking:
    """Rank every article's marking against the levels and the pack's declared one."""
    problems: list[Problem] = []
    declared = levels.rank_of(pack.classification) if pack.classification else None
    ranks: list[int | None] = [declared]
    for doc in docs:
        marking = doc.meta.classification
        if marking is None:
            continue
        rank = levels.rank_of(marking)
        where = _location(doc.path, marking.pos)
        if rank is None:
            texts = " / ".join(repr(text) for _code, text in marking.texts)
            problems.append(
                Problem(
                    where,
                    f"classification {texts} is not a known marking (pack {pack.name!r});"
                    f" known: {levels.known()}; [classification] levels in docgen.toml sets them",
                )
            )
            continue
        if declared is not None and rank > declared:
            problems.append(
                Problem(
                    where,
                    f"classification {levels.name(rank, doc.lang)!r} is above pack"
                    f" {pack.name!r}'s {levels.name(declared, doc.lang)!r}"
                    f" ({pack.config_path.name}:{pack.line_of('classification')});"
                    " raise the pack's classification or take the article out",
                )
            )
        ranks.append(rank)
    return PackMarking(strictest(ranks), tuple(problems))


def _location(path: Path, pos: Pos) -> Location:
    return Location(path, pos.line, pos.column)
