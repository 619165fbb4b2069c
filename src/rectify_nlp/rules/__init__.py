"""Rule components: what the genre makes certain (outline, header, figures, dates, outcomes)."""
