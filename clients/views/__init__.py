"""Client views, one module per screen family; access always goes through `client_for_user`."""
