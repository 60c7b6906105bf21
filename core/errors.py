"""The domain error: a rule of the network was broken; its message is safe to show the user."""


class DomainError(Exception):
    """A broken domain rule, with a translated message for the person who broke it."""

    def __init__(self, message, *, code=None):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)
