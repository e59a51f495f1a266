"""The project's one exception type: every message is a single line naming what failed."""


class JJJError(Exception):
    """A user-facing failure: bad raw file, bad parameter, malformed figure, failing cell."""

    def __init__(self, message: str):
        # One line, always: newlines would break CI logs and the build summary table.
        super().__init__(" ".join(str(message).split()))
