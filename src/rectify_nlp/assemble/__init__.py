"""Step 5 of the pipeline: assemble the rectification object, offsets mapped to the original."""
