"""State changes of the meetings module: one transaction each, split by sub-domain."""
