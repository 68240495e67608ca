"""Reminders and notifications: the sweep that creates them, the delivery that prompts (in-app and by
email), the morning digest, the private calendar feed, tier policies, and the periodic tasks."""
