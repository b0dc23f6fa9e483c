"""``docgen preview``: serve the project's web editions on this machine and rebuild them,
and reload the open page, as sources, translations, assets, templates or the theme change.

``server`` holds the HTTP side, ``watch`` what is watched and the builds, ``state`` what
the last builds gave. Imported only by the ``preview`` command.
"""

from __future__ import annotations

from .server import serve

__all__ = ["serve"]
