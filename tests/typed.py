"""Values as a person types them into a form's fields."""


def at_noon(moment):
    """The day of `moment`, at 12:00, as a datetime-local field holds it.

    A date some days away at the present time of day can fall in the hour that a change to or from
    summer time repeats or skips; noon never does, so a test reads the same at any hour it runs.
    """
    return moment.strftime("%Y-%m-%dT12:00")
