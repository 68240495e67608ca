"""Anticipated needs learned from a client's history (yearly habits, steady intervals)."""
