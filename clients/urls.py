from django.urls import path

from .views import capture, data, merge, needs, portfolio, profile, sections, voice

app_name = "clients"
urlpatterns = [
    path("", portfolio.client_list, name="list"),
    path("new/", portfolio.client_create, name="create"),
    path("import/", data.client_import, name="import"),
    path("<int:pk>/", profile.client_detail, name="detail"),
    path("<int:pk>/identity/", profile.client_identity_edit, name="identity-edit"),
    path("<int:pk>/timeline/", profile.client_timeline, name="timeline"),
    path("<int:pk>/history/", profile.client_history, name="history"),
    path("<int:pk>/interactions/new/", profile.interaction_create, name="interaction-create"),
    path("<int:pk>/capture/", capture.client_capture, name="capture"),
    path("<int:pk>/notes/new/", capture.quick_note_create, name="quick-note"),
    path("<int:pk>/photo/", voice.client_photo, name="photo"),
    path("<int:pk>/voice/", voice.voice_note_upload, name="voice-upload"),
    path("<int:pk>/voice/<int:note_pk>/audio/", voice.voice_note_audio, name="voice-audio"),
    path(
        "<int:pk>/voice/<int:note_pk>/transcript/",
        voice.voice_note_transcript,
        name="voice-transcript",
    ),
    path(
        "<int:pk>/voice/<int:note_pk>/transcript/edit/",
        voice.voice_note_transcript_edit,
        name="voice-transcript-edit",
    ),
    path("<int:pk>/voice/<int:note_pk>/retry/", voice.voice_note_retry_view, name="voice-retry"),
    path("<int:pk>/voice/<int:note_pk>/delete/", voice.voice_note_delete_view, name="voice-delete"),
    path("<int:pk>/needs/new/", needs.need_create, name="need-create"),
    path("<int:pk>/needs/<int:need_pk>/", needs.need_edit, name="need-edit"),
    path("<int:pk>/needs/<int:need_pk>/delete/", needs.need_delete, name="need-delete"),
    path("<int:pk>/needs/<int:need_pk>/accept/", needs.need_accept, name="need-accept"),
    path("<int:pk>/needs/<int:need_pk>/reject/", needs.need_reject, name="need-reject"),
    path("<int:pk>/<slug:section>/new/", sections.part_create, name="part-create"),
    path("<int:pk>/<slug:section>/<int:part_pk>/", sections.part_edit, name="part-edit"),
    path("<int:pk>/<slug:section>/<int:part_pk>/delete/", sections.part_delete, name="part-delete"),
    path(
        "<int:pk>/preferences/<int:part_pk>/confirm/",
        sections.preference_confirm,
        name="preference-confirm",
    ),
    path("<int:pk>/export/", data.client_export, name="export"),
    path("<int:pk>/erase/", data.client_erase, name="erase"),
    path("<int:pk>/merge/", merge.client_merge, name="merge"),
]
