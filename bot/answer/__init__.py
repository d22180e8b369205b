"""What runs on every message: rank, decide, compose the reply, the engine."""
