"""Briefing packs of several articles: the binder for a visit (docs/binder.md).

A pack is declared in ``docgen.toml`` (``[packs.NAME]``: ``config``); its markings are
ranked (``marking``); its outputs — ``binder.LANG.pdf`` (``compose``), ``binder.LANG.docx``
(``word``) and ``sheets.pdf`` (``sheets``) — are jobs of the build engine (``job``), run
and written by ``build``.
"""
