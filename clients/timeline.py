"""One timeline of everything that happened with a client, newest first.

Each source yields entries with the same shape; later sources (requests, voice notes) add themselves
to SOURCES so that the profile shows them without another change.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from concierge.common import compiled
from concierge.common.choices import labels
from concierge.common.compiled import Ids, ids_in

from .models import Client, Interaction, VoiceNote

PAGE = 20


@dataclass(frozen=True)
class About:
    """What else a voice note can be about, told by a layer above (requests: "About: Dinner at the
    Meurice") without clients importing it: a select_related path from VoiceNote that the layer
    owns, loaded with the notes (no query more), and the (title, url) it reads from a note."""

    related: str
    label: Callable[[VoiceNote], tuple[str, str] | None]


VOICE_NOTE_ABOUT: list[About] = []


def timeline_notes():
    """The voice notes the timeline shows, with who recorded them and what they are about."""
    related = [about.related for about in VOICE_NOTE_ABOUT]
    return VoiceNote.objects.filter(purpose=VoiceNote.Purpose.NOTE).select_related(
        "recorded_by", *related
    )


def _notes_key(*shape) -> tuple:
    # What the notes' query joins is told by the layers above: it is part of its shape.
    return ("timeline-notes", *shape, *(about.related for about in VOICE_NOTE_ABOUT))


@dataclass(frozen=True)
class Entry:
    kind: str  # "interaction", "request", ...
    icon: str  # channel or kind, for the template's icon
    when: datetime
    title: str
    body: str
    by: str
    url: str = ""
    item: object = None  # the record (a voice note), or what the entry needs of it (Logged)
    notes: tuple = ()  # the voice notes recorded about it (an interaction's), newest first


@dataclass(frozen=True)
class Logged:
    """What an interaction's entry needs of its record: its id (for the button that records a
    note about it)."""

    pk: int


def display_name(first_name, last_name, username) -> str:
    """User.display_name from its columns (all None for no user)."""
    if username is None:
        return ""
    return f"{first_name} {last_name}".strip() or username


# The timeline's queries are built and compiled once per shape (concierge.common.compiled): their
# building cost more than the database's answer.


# What an entry shows of an interaction and its author: read as values, not as two model
# instances a row.
INTERACTION_COLUMNS = (
    "pk",
    "channel",
    "direction",
    "occurred_at",
    "summary",
    "by__first_name",
    "by__last_name",
    "by__username",
)


def _interactions(client, limit, before=None):
    interactions = Interaction.objects.filter(client_id=client)
    if before is not None:
        interactions = interactions.filter(occurred_at__lt=before)
    return interactions.values_list(*INTERACTION_COLUMNS)[:limit]


def _notes_about(interactions):
    return timeline_notes().filter(interaction_id__in=ids_in(interactions))


def _loose_notes(client, limit, before=None):
    notes = timeline_notes().filter(client_id=client, interaction__isnull=True)
    if before is not None:
        notes = notes.filter(recorded_at__lt=before)
    return notes[:limit]


def _marks(client: Client, before: datetime | None) -> dict:
    return {"client": client.pk} | ({"before": before} if before is not None else {})


def interaction_entries(client: Client, before: datetime | None, limit: int) -> list[Entry]:
    interactions = compiled.rows(
        ("timeline-interactions", limit, before is None),
        partial(_interactions, limit=limit),
        _marks(client, before),
    )
    # A note recorded about a call is shown under that call, not on its own.
    notes: dict[int, list[VoiceNote]] = {}
    if interactions:
        about = compiled.objects(
            _notes_key("about"), _notes_about, {"interactions": Ids(row[0] for row in interactions)}
        )
        for note in about:
            notes.setdefault(note.interaction_id, []).append(note)
    channels, directions = labels(Interaction.Channel), labels(Interaction.Direction)
    return [
        Entry(
            kind="interaction",
            icon=channel,
            when=compiled.as_datetime(occurred_at),
            # get_channel_display() · get_direction_display()
            title=f"{channels.get(channel, channel)} · {directions.get(direction, direction)}",
            body=summary,
            by=display_name(first_name, last_name, username),
            item=Logged(pk),
            notes=tuple(notes.get(pk, ())),
        )
        for pk, channel, direction, occurred_at, summary, first_name, last_name, username in (
            interactions
        )
    ]


def voice_note_entries(client: Client, before: datetime | None, limit: int) -> list[Entry]:
    notes = compiled.objects(
        _notes_key("loose", limit, before is None),
        partial(_loose_notes, limit=limit),
        _marks(client, before),
    )
    return [
        Entry(
            kind="voice",
            icon="voice",
            when=note.recorded_at,
            title=str(note.get_purpose_display()),
            body=note.transcript,
            by=note.recorded_by.display_name if note.recorded_by else "",
            item=note,
        )
        for note in notes
    ]


SOURCES = [interaction_entries, voice_note_entries]


def timeline(
    client: Client, before: datetime | None = None, limit: int = PAGE
) -> tuple[list[Entry], datetime | None]:
    """A page of entries and the cursor for the next page (None when there is no more)."""
    entries = sorted(
        (entry for source in SOURCES for entry in source(client, before, limit + 1)),
        key=lambda entry: entry.when,
        reverse=True,
    )
    page, more = entries[:limit], len(entries) > limit
    label_notes(
        [entry.item for entry in page if entry.kind == "voice"]
        + [note for entry in page if entry.kind == "interaction" for note in entry.notes]
    )
    return page, (page[-1].when if more and page else None)


def label_notes(notes: list[VoiceNote]) -> None:
    """Give each note its `about` list: (title, url) of what else it was recorded about."""
    for note in notes:
        labels = (about.label(note) for about in VOICE_NOTE_ABOUT)
        note.about = [label for label in labels if label]
