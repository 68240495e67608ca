"""`{% timeline_entries entries %}`: a page of the profile's timeline, composed in Python.

Twenty entries as template nodes (a loop, a dozen lookups and two tags each) cost more than
reading them; here each entry is a few strings, in the reader's language, every value escaped
(`esc`). Voice notes keep their template (`clients/_voice_note.html`), included as the loop did."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from concierge.common.markup import esc, esc_lines, per_language

from .parts import page_of

register = template.Library()


@per_language
def _words() -> dict:
    """The entries' words."""
    return {
        "note_about": gettext("Voice note about it"),
        "notes_about": gettext("Voice notes about it"),
        "nothing": gettext("Nothing logged yet. Tap a channel above to log a call in two taps."),
        "voice_note": gettext("Voice note"),
        "about": pgettext("a voice note about a request", "About"),
        "retrying": gettext("Transcription failed, trying again shortly…"),
        "transcribing": gettext("Transcribing…"),
        "type_it": gettext("Type the transcript"),
        "nothing_heard": gettext("Nothing was heard."),
        "correct": gettext("Correct"),
        "write_it": gettext("Write it"),
        "try_again": gettext("Try again"),
        "delete_note": gettext("Delete this voice note and its recording?"),
        "delete": gettext("Delete"),
    }


# What the loop's include passed to each note (`with … only`).
NOTE_CONTEXT = ("editing_note", "transcript_form", "conflict", "new_note", "csrf_token")


def _voice_note(context, note, engine) -> str:
    """`{% include "clients/_voice_note.html" with note=note editing_note=… only %}`: composed here
    but for the note whose transcript is being corrected (its form stays the template's)."""
    values = {name: context.get(name, "") for name in NOTE_CONTEXT}
    if values["editing_note"] == note.pk:
        values["note"] = note
        return engine.get_template("clients/_voice_note.html").render(context.new(values))
    page = page_of(context)
    words = _words()
    pk = note.pk
    just_saved = " data-just-saved" if pk == values["new_note"] else ""
    language = note.transcript_language
    badge = f' <span class="badge badge-muted">{esc(language.upper())}</span>'
    about = "".join(
        f'<p class="voice-about">{words["about"]} <a href="{esc(url)}">{esc(title)}</a></p>'
        for title, url in note.about
    )
    audio = esc(page.link("clients:voice-audio", note.client_id)(pk))
    delete = esc(page.link("clients:voice-delete", note.client_id)(pk))
    by = f" · {esc(note.recorded_by.display_name)}" if note.recorded_by_id else ""
    recorded = esc(page.dates.moment_as(note.recorded_at, "j M Y, H:i"))
    return (
        f'\n\n\n\n\n<div class="voice-note" id="voice-note-{pk}"{just_saved}>\n'
        f'  <p class="entry-title">{words["voice_note"]} <span class="voice-duration">'
        f"{esc(note.duration_label)}</span>{badge if language != 'en' else ''}</p>\n"
        f"  {about}\n"
        f'  <audio class="voice-audio" controls preload="metadata" src="{audio}"></audio>\n'
        f"  {_transcript(note, page, words)}\n"
        f"  <small>{recorded}{by}\n"
        f'    · <form class="button-form" method="post" action="{delete}" hx-post="{delete}"'
        f' hx-confirm="{words["delete_note"]}" hx-target="closest li" hx-swap="outerHTML">'
        f'{page.csrf}<button class="link-danger">{words["delete"]}</button></form></small>\n'
        "</div>\n"
    )


def _transcript(note, page, words: dict) -> str:
    """The template's `transcript` partial, as a timeline's note shows it (without toasts)."""
    pk = note.pk
    status = note.transcript_status
    waiting = note.is_waiting
    text = note.transcript
    poll = ""
    if waiting:
        url = esc(page.link("clients:voice-transcript", note.client_id)(pk))
        poll = f' hx-get="{url}" hx-trigger="every 3s" hx-swap="outerHTML"'
    if waiting:
        said = words["retrying"] if status == "retrying" else words["transcribing"]
        state = f'<span class="spinner" aria-hidden="true"></span> {said}\n    '
    elif status == "failed":
        state = (
            f'<span class="badge badge-danger">{esc(note.get_transcript_status_display())}</span>'
            "\n    "
        )
    elif status == "manual":
        language = esc(note.get_transcript_language_display())
        missing = gettext("No automatic transcript in %(language)s.") % {"language": language}
        state = f'<span class="badge badge-warn">{words["type_it"]}</span> <small>{missing}</small>\n    '
    elif not text:
        state = f"<small>{words['nothing_heard']}</small>"
    else:
        state = ""
    actions = ""
    if not waiting:
        edit = esc(page.link("clients:voice-transcript-edit", note.client_id)(pk))
        retry = ""
        if status == "failed":
            url = esc(page.link("clients:voice-retry", note.client_id)(pk))
            retry = (
                f'<form class="button-form" method="post" action="{url}" hx-post="{url}"'
                f' hx-target="#transcript-{pk}" hx-swap="outerHTML">{page.csrf}'
                f'<button class="btn btn-sm btn-quiet">{words["try_again"]}</button></form>'
            )
        actions = (
            f'\n    <a class="btn btn-sm btn-quiet" href="{edit}#voice-note-{pk}" hx-get="{edit}"'
            f' hx-target="#transcript-{pk}" hx-swap="outerHTML"><svg class="i" aria-hidden="true">'
            f'<use href="#i-edit"/></svg> {words["correct"] if text else words["write_it"]}</a>\n'
            f"    {retry}\n    "
        )
    shown = f'<p class="transcript-text">{esc_lines(text)}</p>' if text else ""
    return (
        f'\n<div id="transcript-{pk}" class="transcript transcript-{esc(status)}"{poll}'
        ' aria-live="polite">\n'
        f"  {shown}\n"
        '  <p class="transcript-state">\n'
        f"    {state}\n"
        f"    {actions}\n"
        "  </p>\n"
        "  \n"
        "</div>\n"
    )


@register.simple_tag(takes_context=True)
def timeline_entries(context, entries):
    """What `{% for entry in entries %}` wrote: each entry, its voice notes under it, or the empty
    line when there is nothing (and no earlier page)."""
    words = _words()
    if not entries:
        if context.get("next_before"):
            return mark_safe("\n    ")
        return mark_safe(f'<li class="row-empty">{words["nothing"]}</li>\n    ')  # noqa: S308
    dates = page_of(context).dates
    engine = context.template.engine
    out = []
    for entry in entries:
        if entry.kind == "voice":
            inner = _voice_note(context, entry.item, engine)
        else:
            when = esc(dates.moment(entry.when))
            title = esc(entry.title)
            if entry.url:
                title = f'<a href="{esc(entry.url)}">{title}</a>'
            body = f'<p class="entry-body">{esc_lines(entry.body)}</p>' if entry.body else ""
            by = f" · {esc(entry.by)}" if entry.by else ""
            notes = record = ""
            if entry.kind == "interaction":
                if entry.notes:
                    items = "".join(
                        f"<li>{_voice_note(context, note, engine)}</li>" for note in entry.notes
                    )
                    notes = (
                        f'<ul class="entry-notes" aria-label="{words["notes_about"]}">{items}</ul>'
                    )
                notes = f"\n        {notes}\n        "
                label = words["note_about"]
                record = (
                    '<button type="button" class="icon-btn entry-record" data-recorder-open="note"'
                    f' data-recorder-interaction="{esc(entry.item.pk)}"'
                    f' data-recorder-about="{esc(entry.title)}, {when}" aria-controls="recorder"'
                    f' aria-label="{label}" title="{label}"><svg class="i" aria-hidden="true">'
                    '<use href="#i-mic"/></svg></button>'
                )
            inner = (
                f'\n      <div class="entry-main"><p class="entry-title">{title}</p>\n'
                f"        {body}\n"
                f"        <small>{when}{by}</small>\n"
                f"        {notes}</div>\n"
                f"      {record}"
            )
        out.append(
            f'\n    <li class="entry entry-{esc(entry.kind)}">\n'
            '      <span class="entry-icon" aria-hidden="true"><svg class="i">'
            f'<use href="#i-{esc(entry.icon)}"/></svg></span>\n'
            f"      {inner}\n"
            "    </li>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped)
