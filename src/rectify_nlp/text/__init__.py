"""Step 2 of the pipeline: clean the text for matching, keeping an offset map to the original."""
