"""State changes of the meetings module, one transaction each (see docs/ARCHITECTURE.md), by sub-domain."""
