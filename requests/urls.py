from django.urls import path

from .views import board, create, detail, vendors, voice

app_name = "requests"
urlpatterns = [
    path("", board.request_list, name="list"),
    path("new/", create.request_create, name="create"),
    path("new/details/", create.request_details_fields, name="details-fields"),
    path("satisfaction/", board.satisfaction, name="satisfaction"),
    path("vendors/", vendors.vendor_list, name="vendors"),
    path("vendors/new/", vendors.vendor_edit, name="vendor-new"),
    path("vendors/<int:pk>/", vendors.vendor_edit, name="vendor-edit"),
    path("<int:pk>/", detail.request_detail, name="detail"),
    path("<int:pk>/edit/", detail.request_edit, name="edit"),
    path("<int:pk>/transition/", detail.request_transition, name="transition"),
    path("<int:pk>/comment/", detail.comment_create, name="comment"),
    path("<int:pk>/checklist/", detail.checklist_create, name="checklist-create"),
    path(
        "<int:pk>/checklist/<int:item_pk>/toggle/", detail.checklist_toggle, name="checklist-toggle"
    ),
    path("<int:pk>/vendors/", detail.vendor_use_create, name="vendor-create"),
    path("<int:pk>/vendors/<int:use_pk>/delete/", detail.vendor_use_delete, name="vendor-delete"),
    path("<int:pk>/vendors/<int:use_pk>/stage/", detail.vendor_use_move, name="vendor-stage"),
    path("<int:pk>/feedback/", detail.feedback_create, name="feedback"),
    path("<int:pk>/voice/", voice.voice_note_upload, name="voice-upload"),
]
