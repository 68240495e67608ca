from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("not built yet")


request_detail = request_edit = request_transition = comment_create = _todo
checklist_create = checklist_toggle = vendor_use_create = vendor_use_delete = feedback_create = (
    _todo
)
