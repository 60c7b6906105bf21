"""State changes of the meetings module, one transaction each (see STYLE.md), by sub-domain."""
