"""Steps 3-4 of the pipeline: character tokenisation (spaCy ``zh``) and the spaCy components."""

from rectify_nlp.pipeline.language import blank_pipeline, chunk_text

__all__ = ["blank_pipeline", "chunk_text"]
