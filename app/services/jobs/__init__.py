"""Jobs as services see them: rows to write. `app.jobs` runs them."""
