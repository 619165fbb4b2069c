"""Step 1 of the pipeline: read bytes or files and decode them to ``str``."""

from rectify_nlp.io.read import decode_bytes, looks_like_html, read_bytes, read_text

__all__ = ["decode_bytes", "looks_like_html", "read_bytes", "read_text"]
