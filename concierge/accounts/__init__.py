"""The bottom layer: users, their roles, teams, time zone and language. Imports nothing of ours."""
