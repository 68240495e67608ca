"""Keeps `Client.search_text` in step with what it is composed of, whoever writes (see search.py).

Each receiver refreshes the clients a change touches, in the transaction of the change.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import Client, ContactPoint, Preference, Relation, Tag, VoiceNote
from .search import SEARCHED_FIELDS, refresh_search_texts

PARTS = (ContactPoint, Preference, Relation, VoiceNote)  # voice notes: their transcripts


@receiver(post_save, sender=Client)
def client_saved(sender, instance: Client, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not set(update_fields) & set(SEARCHED_FIELDS)):
        return
    if (text := refresh_search_texts([instance.pk]).get(instance.pk)) is not None:
        instance.search_text = text


def part_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.client_id:
        refresh_search_texts([instance.client_id])


for part in PARTS:
    post_save.connect(part_changed, sender=part, dispatch_uid=f"search-{part.__name__}-saved")
    post_delete.connect(part_changed, sender=part, dispatch_uid=f"search-{part.__name__}-deleted")


@receiver(m2m_changed, sender=Client.tags.through)
def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_search_texts([instance.pk])
    elif action == "post_clear":
        refresh_search_texts(instance._clients_before_clear)
    else:
        refresh_search_texts(pk_set or ())


@receiver(m2m_changed, sender=Client.tags.through)
def tag_about_to_clear(sender, instance, action, reverse, **kwargs):
    if action == "pre_clear" and reverse:
        instance._clients_before_clear = list(instance.clients.values_list("pk", flat=True))


@receiver(post_save, sender=Tag)
def tag_renamed(sender, instance: Tag, created=False, raw=False, **kwargs):
    if not created and not raw:
        refresh_search_texts(instance.clients.values_list("pk", flat=True))


@receiver(pre_delete, sender=Tag)
def tag_about_to_go(sender, instance: Tag, **kwargs):
    instance._clients_before_delete = list(instance.clients.values_list("pk", flat=True))


@receiver(post_delete, sender=Tag)
def tag_deleted(sender, instance: Tag, **kwargs):
    refresh_search_texts(getattr(instance, "_clients_before_delete", ()))
