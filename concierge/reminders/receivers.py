"""How reminders react to what the record announces (see clients.signals)."""

from django.dispatch import receiver

from clients.models import Interaction
from clients.signals import client_reassigned, interaction_logged

from .services import cadence_settle, reminders_reassign


@receiver(client_reassigned)
def move_open_reminders(sender, *, client, previous_concierge, new_concierge, **kwargs):
    reminders_reassign(client=client, previous_owner=previous_concierge, new_owner=new_concierge)


@receiver(interaction_logged)
def settle_calls_owed(sender, *, client, interaction, **kwargs):
    if interaction.channel not in Interaction.CONTACT_CHANNELS:
        return  # a note written about the client is not a call
    cadence_settle(client=client)
