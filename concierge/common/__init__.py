"""The bottom layer's shared vocabulary: the htmx request type, safe redirects, edit conflicts.
Imports nothing of ours, so that every layer may use it."""
