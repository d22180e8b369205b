"""The search index built from the FAQ: building, the cached sqlite file, reading it."""
