class ServiceError(Exception):
    """A domain rule refused the operation; the message is safe to show to the user."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    pass
