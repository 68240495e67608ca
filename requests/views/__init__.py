"""Request views; access always goes through `request_for_user`."""
