"""The staff side's pages: agenda and reminder actions, notifications, calendar, policies, health."""
