"""The service tests' units of work, small production and notification fixtures, for the
integration tests that drive a use case end to end (Slack, email)."""

from tests.services.conftest import _cheap_bcrypt, delivered, notifying, prod, uow  # noqa: F401
