"""A console mail backend for development that prints each mail as a person would read it."""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    """Django's console backend prints the MIME source (base64 for Cyrillic); this prints the
    headers that matter, the plain-text part as text, and the names of the attachments."""

    def write_message(self, message):
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
            *(f"{name}: {value}" for name, value in (message.extra_headers or {}).items()),
            "",
            message.body,
        ]
        lines += [f"[alternative part: {mimetype}]" for _content, mimetype in getattr(message, "alternatives", [])]
        for attachment in message.attachments:
            filename = attachment[0] if isinstance(attachment, tuple) else attachment.get_filename()
            lines.append(f"[attachment: {filename}]")
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")
