"""Step 2 of the pipeline: clean the text for matching, keeping an offset map to the original.

>>> from rectify_nlp.text import clean_text
>>> ct = clean_text("（一）針對問題")
>>> ct.text, ct.to_original(0, 3)
('(一)针对问题', (0, 3))
"""

from rectify_nlp.text.clean import CleanText, DroppedLine, clean_text
from rectify_nlp.text.offsets import OffsetMap, TextBuilder

__all__ = ["CleanText", "DroppedLine", "OffsetMap", "TextBuilder", "clean_text"]
