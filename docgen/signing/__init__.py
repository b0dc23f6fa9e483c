"""Signed briefing packs: PAdES signatures on PDFs, a detached CMS signature on the
manifest, and their verification.

Each module imports pyHanko and ``cryptography`` inside its functions, so that
``docgen --help`` and ``docgen check`` never pay for (or depend on) the signing stack.
"""
