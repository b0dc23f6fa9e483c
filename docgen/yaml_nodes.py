"""Composed YAML nodes of either library (PyYAML's C composer or ruamel.yaml), seen
through one small protocol, so that checks work on whichever composed the text."""

from __future__ import annotations

from typing import Any, Protocol


class Mark(Protocol):
    """A position in the composed text, 0-based (as both libraries give it)."""

    line: int
    column: int


class Node(Protocol):
    """A composed node of either library: ``id`` is "scalar", "sequence" or "mapping"."""

    id: str
    tag: str
    value: Any
    start_mark: Mark
    end_mark: Mark
    style: str | None


def is_scalar(node: Node | None) -> bool:
    """Whether ``node`` is a scalar (either library's class)."""
    return node is not None and node.id == "scalar"


def is_sequence(node: Node | None) -> bool:
    """Whether ``node`` is a sequence (either library's class)."""
    return node is not None and node.id == "sequence"


def is_mapping(node: Node | None) -> bool:
    """Whether ``node`` is a mapping (either library's class)."""
    return node is not None and node.id == "mapping"


def is_null(node: Node | None) -> bool:
    """Whether ``node`` is a plain null (empty, ``~``, ``null``): same set in YAML 1.1 and 1.2."""
    return is_scalar(node) and node is not None and node.tag == "tag:yaml.org,2002:null"
