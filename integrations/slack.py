"""Slack through slack-sdk: chat.postMessage with the bot token to a project's channel, or a
project's incoming webhook. Called by the outbox worker only, never inside a use case.

Retries are the outbox's job (with backoff, across restarts), so slack-sdk's own retry
handlers are off: a timed-out request that Slack did receive is not posted a second time by a
quick client-side retry.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

DEFAULT_TIMEOUT = 10  # seconds; a slow Slack delays only the outbox worker, never a person

# Web API errors about the message itself, which no retry will cure: FAILED at once. Errors about
# the set-up (channel_not_found, invalid_auth, …) are retried: the destination is read again at
# each attempt, so fixing the project's channel or the token lets the message through.
PERMANENT_ERRORS = frozenset(
    {"invalid_arguments", "invalid_blocks", "msg_too_long", "no_text", "too_many_attachments"}
)


class SlackDeliveryError(Exception):
    """Slack did not take the message. `permanent`: retrying is pointless; `retry_after`:
    seconds Slack asked us to wait (rate limited)."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


def _escape(text: str) -> str:
    # Slack's mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message_text(headline: str, url: str) -> str:
    """The headline ("SH010 COMP task ready for review") linked to the task or review page."""
    return f"<{url}|{_escape(headline)}>"


def _api_base(base_url: str | None) -> str:
    if not base_url:
        return WebClient.BASE_URL
    return base_url if base_url.endswith("/") else base_url + "/"


def _retry_after(headers) -> float | None:
    try:
        value = (headers or {}).get("Retry-After") or (headers or {}).get("retry-after")
        return float(value[0] if isinstance(value, list) else value) if value else None
    except (TypeError, ValueError):
        return None


def post(
    *,
    text: str,
    channel: str | None = None,
    webhook_url: str | None = None,
    token: str | None = None,
    base_url: str | None = None,
    timeout: float | None = None,
) -> None:
    """Post `text` to the webhook if there is one, else to `channel` with the bot token.
    Raises SlackDeliveryError when Slack does not take it."""
    timeout = timeout or DEFAULT_TIMEOUT
    if webhook_url:
        _post_webhook(webhook_url, text, timeout)
        return
    if not (channel and token):
        raise SlackDeliveryError(
            "no Slack webhook, and no channel with a bot token (FEEDBACK_SLACK_BOT_TOKEN)",
            permanent=True,
        )
    client = WebClient(
        token=token, base_url=_api_base(base_url), timeout=timeout, retry_handlers=[]
    )
    try:
        client.chat_postMessage(channel=channel, text=text, unfurl_links=False)
    except SlackApiError as exc:
        response = exc.response
        error = response.get("error") if isinstance(response.data, dict) else None
        raise SlackDeliveryError(
            f"Slack answered {response.status_code}: {error or str(exc).splitlines()[0]}",
            permanent=error in PERMANENT_ERRORS,
            retry_after=_retry_after(response.headers) if response.status_code == 429 else None,
        ) from exc
    except Exception as exc:  # timeouts, refused connections, TLS: worth another try later
        raise SlackDeliveryError(f"Slack unreachable: {type(exc).__name__}: {exc}") from exc


def _post_webhook(url: str, text: str, timeout: float) -> None:
    try:
        response = WebhookClient(url, timeout=timeout, retry_handlers=[]).send(
            text=text, unfurl_links=False
        )
    except Exception as exc:
        raise SlackDeliveryError(f"Slack webhook unreachable: {type(exc).__name__}: {exc}") from exc
    if response.status_code != 200:
        raise SlackDeliveryError(
            f"Slack webhook answered {response.status_code}: {(response.body or '')[:200]}",
            # 400 is a malformed message; a revoked webhook (403/404/410) may be replaced
            permanent=response.status_code == 400,
            retry_after=_retry_after(response.headers) if response.status_code == 429 else None,
        )
