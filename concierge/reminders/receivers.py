"""How reminders react to what the record announces (see clients.signals)."""

from django.dispatch import receiver

from clients.models import Interaction
from clients.signals import clients_reassigned, interaction_logged

from .services import cadence_settle, reminders_hand_over


@receiver(clients_reassigned)
def hand_over(sender, *, clients, previous, by, **kwargs):
    reminders_hand_over(clients=clients, previous=previous, by=by)


@receiver(interaction_logged)
def settle_calls_owed(sender, *, client, interaction, **kwargs):
    if interaction.channel not in Interaction.CONTACT_CHANNELS:
        return  # a note written about the client is not a call
    cadence_settle(client=client)
