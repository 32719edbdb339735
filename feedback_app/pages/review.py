"""/review/[version_id]: the review room of one version, full width."""

import reflex as rx

from components.badges import status_badge
from components.gone import gone_notice
from components.review import review_room, upload_button
from components.shell import page_shell
from state.review import ReviewState


def _breadcrumb() -> rx.Component:
    return rx.hstack(
        rx.link(ReviewState.project_code, href="/projects/" + ReviewState.project_id.to_string()),
        rx.text("/", color=rx.color("gray", 8)),
        rx.text(ReviewState.parent_code, weight="bold"),
        rx.text("/", color=rx.color("gray", 8)),
        rx.link(ReviewState.task_title, href="/tasks/" + ReviewState.task_id.to_string()),
        status_badge(ReviewState.task_status),
        size="2",
        align="center",
        id="breadcrumb",
        padding_bottom="12px",
    )


def review_page() -> rx.Component:
    return page_shell(
        rx.cond(
            ReviewState.loaded & (ReviewState.page == "review"),
            rx.cond(
                ReviewState.gone,
                gone_notice(
                    "Version no longer available",
                    "This version, its task or its project was deleted, or you no longer "
                    "have access to it.",
                ),
                rx.vstack(_breadcrumb(), review_room(), width="100%", spacing="2"),
            ),
            rx.spinner(),
        ),
        # the task page's form: "SH030 Comp · v002"
        title=rx.cond(
            ReviewState.loaded,
            ReviewState.task_label + " · " + ReviewState.version_label,
            "Review",
        ),
        actions=rx.cond(ReviewState.gone, rx.fragment(), upload_button()),
    )
