"""Errors a use case raises. Each carries a message fit to show the person who acted."""


class DomainError(Exception):
    """Base class: the message is safe to show in a toast."""


class PermissionDenied(DomainError):
    pass


class NotFound(DomainError):
    pass


class ValidationError(DomainError):
    pass


class Conflict(DomainError):
    pass


class AuthError(DomainError):
    pass
