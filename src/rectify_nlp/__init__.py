"""rectify_nlp: structured data from Chinese inspection rectification notices."""

__version__ = "0.1.0"
