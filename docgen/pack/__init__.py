"""The briefing pack: one folder (or one zip) holding an article's outputs and the manifest
that says what each file is, what it was built from and with which engines.

Plain functions over bytes and paths, so the build can call them without this package
knowing how the outputs were rendered: ``manifest`` (the record), ``archive`` (the
deterministic zip), ``verify`` (files against the record), ``reproducible`` (byte-stable
DOCX and PDF), ``pdfscan`` (a page count read from a PDF's own page tree).
"""
