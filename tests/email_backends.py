"""Stand-ins for an SMTP server (not for our database or broker): slow, or failing at first."""

import time

from django.core.mail.backends.locmem import EmailBackend as LocMemBackend


class SlowBackend(LocMemBackend):
    """Each message takes a while, so that a test can kill a worker in the middle of a delivery."""

    def send_messages(self, messages):
        time.sleep(0.1 * len(messages))
        return super().send_messages(messages)


class FlakyBackend(LocMemBackend):
    """Fails the first `failures` sends, like an SMTP server that is briefly down."""

    failures = 1
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise OSError("SMTP server unavailable")
        return super().send_messages(messages)
