"""What the client record announces, for the layers above it to react to (reminders, agenda).

The record never imports those layers: it sends these signals inside the transaction of the change,
so that a receiver's writes commit or roll back with it.
"""

from django.dispatch import Signal

# clients (the changed rows), previous ({client id: (primary id, backup id)}), by: one or many
# clients given to someone else or moved to the unassigned queue, announced once for all of them
clients_reassigned = Signal()
# client, interaction: a call, a message or a meeting was logged with the client
interaction_logged = Signal()
