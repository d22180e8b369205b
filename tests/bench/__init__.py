"""The benchmark: `python -m tests.bench` (not shipped in the Docker image)."""
