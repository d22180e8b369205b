"""The search index built from the FAQ: record.py (one entry's match data, as written, stored and
read), build.py (writing the sqlite file), index.py (reading and searching it: Index), cache.py
(the file kept by FAQ content and code version), bm25.py (the ranking)."""
