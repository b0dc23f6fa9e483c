"""docgen's version, in a module of its own so that any module may import it without
importing the package's public API (and making an import cycle)."""

__version__ = "0.1.0"
