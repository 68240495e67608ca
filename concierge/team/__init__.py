"""The manager's side: who looks after whom (assignment, handover, absences), the team at a glance,
and who opened what."""
