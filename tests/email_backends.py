"""Stand-ins for an SMTP server (not for our database or broker): slow, failing, down for a while,
recording what it accepted (in a file another process can read), or killing the sender right after
accepting."""

import os
import signal
import smtplib
import time
from pathlib import Path

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


class OutageBackend(LocMemBackend):
    """Down (connection refused) while `down` is set; refuses the recipients in `refused`."""

    down = False
    refused: set[str] = set()
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if type(self).down:
            raise ConnectionRefusedError(111, "Connection refused")
        for message in messages:
            if set(message.to) & type(self).refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)


def accepted(path) -> list[tuple[str, int]]:
    """What a RecordingBackend accepted: (Message-ID, pid of the sender), in order."""
    path = Path(path)
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    return [(mid, int(pid)) for mid, pid in (line.split("\t") for line in lines if line)]


class RecordingBackend(LocMemBackend):
    """Accepts each message by appending its Message-ID and the sender's pid to the file named by
    $EMAIL_RECORD (one write per line: it survives the sender being killed right after), then
    pauses $EMAIL_PAUSE_AFTER_ACCEPT seconds, the time an SMTP QUIT takes."""

    def send_messages(self, messages):
        pause = float(os.environ.get("EMAIL_PAUSE_AFTER_ACCEPT", "0"))
        for message in messages:
            line = f"{message.extra_headers['Message-ID']}\t{os.getpid()}\n"
            fd = os.open(os.environ["EMAIL_RECORD"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)
            if pause:
                time.sleep(pause)
        return super().send_messages(messages)


class DieAfterAcceptBackend(RecordingBackend):
    """Records the message, then kills its own process with SIGKILL, once (while the file named by
    $EMAIL_DIE_ONCE does not exist): the death between the server's acceptance and the mark."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        marker = os.environ["EMAIL_DIE_ONCE"]
        if not os.path.exists(marker):
            Path(marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return sent
