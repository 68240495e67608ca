"""The requests page's filters: the fixed choices are shared by every form (not copied for each),
the assignee's are each form's own."""

import copy

from requests.listing import RequestFilterForm


def test_fixed_choices_are_shared_and_the_assignees_are_each_forms_own(concierge, manager):
    managers = RequestFilterForm({"assignee": "me", "due": "overdue"}, user=manager)
    concierges = RequestFilterForm({"assignee": "all", "category": "travel"}, user=concierge)
    assert [value for value, _label in managers.fields["assignee"].choices][:3] == [
        "",
        "me",
        "none",
    ]
    assert [value for value, _label in concierges.fields["assignee"].choices] == ["", "all"]
    assert RequestFilterForm.base_fields["assignee"].choices == []
    for name in ("status", "due", "category", "view"):
        assert managers.fields[name] is not RequestFilterForm.base_fields[name]
        assert managers.fields[name].choices is concierges.fields[name].choices
    assert (managers.value("assignee"), managers.value("due")) == ("me", "overdue")
    assert (concierges.value("assignee"), concierges.value("category")) == ("all", "travel")
    # A bad value is still ignored, whatever form read the field before.
    assert RequestFilterForm({"due": "someday"}, user=concierge).value("due") == ""
    assert copy.deepcopy(managers.fields["due"]).choices is managers.fields["due"].choices
