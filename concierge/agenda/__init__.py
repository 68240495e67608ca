"""What a concierge's day looks like: the agenda's sections, read in a fixed number of queries."""
