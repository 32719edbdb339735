import reflex as rx

from components.badges import STATUS_LABELS, due_chip, empty_state, status_badge
from components.forms import confirm_dialog, field
from components.gone import gone_notice
from components.live import live_follow
from components.review import (
    beside,
    comment_actions,
    review_room,
    upload_button,
    version_table,
)
from components.shell import page_shell
from components.tables import activity_item, artist_cell, task_table
from components.task_dialog import task_dialog
from state.activity import TaskActivityState
from state.review import ReviewState
from state.rows import CommentRow
from state.task_dialog import NOBODY, PRIORITIES, TASK_TYPES, TaskDialogState
from state.tasks import VIEW_LABELS, MyTasksState, TaskState

# ---------------------------------------------------------------- /tasks


def _view_tab(key: str, label: str) -> rx.Component:
    return rx.tabs.trigger(
        rx.hstack(
            rx.text(label),
            rx.badge(MyTasksState.counts[key], variant="soft", size="1", id=f"count-{key}"),
            align="center",
            spacing="2",
        ),
        value=key,
        id=f"view-{key}",
    )


def my_tasks_page() -> rx.Component:
    return page_shell(
        rx.hstack(
            rx.tabs.root(
                rx.tabs.list(*[_view_tab(k, v) for k, v in VIEW_LABELS.items()]),
                value=MyTasksState.view,
                on_change=MyTasksState.set_view,
            ),
            rx.cond(
                MyTasksState.project != "",
                rx.badge(
                    MyTasksState.project_code,
                    rx.icon(
                        "x",
                        size=12,
                        cursor="pointer",
                        on_click=MyTasksState.all_projects,
                        id="tasks-project-clear",
                        aria_label="All projects",
                    ),
                    variant="surface",
                    id="tasks-project",
                ),
            ),
            rx.spacer(),
            rx.cond(
                MyTasksState.is_staff,
                rx.select.root(
                    rx.select.trigger(id="workload-scope"),
                    rx.select.content(
                        rx.foreach(
                            MyTasksState.people, lambda o: rx.select.item(o.label, value=o.value)
                        )
                    ),
                    value=MyTasksState.scope,
                    on_change=MyTasksState.set_scope,
                    size="1",
                ),
            ),
            width="100%",
            align="center",
            padding_bottom="12px",
        ),
        rx.cond(
            MyTasksState.tasks.length() > 0,
            task_table(MyTasksState.tasks, show_project=True),
            empty_state(
                "Nothing here",
                rx.match(
                    MyTasksState.view,
                    ("week", "No open task is due this week."),
                    ("overdue", "Nothing overdue. Nice."),
                    (
                        "review",
                        rx.cond(
                            MyTasksState.is_staff & (MyTasksState.scope == "me"),
                            "No task is waiting for your review.",
                            rx.cond(
                                MyTasksState.scope == "me",
                                "None of your tasks is in Internal or Client Review.",
                                "No task here is in Internal or Client Review.",
                            ),
                        ),
                    ),
                    (
                        "watching",
                        "Tasks you watch (and are not assigned to) show up here: "
                        "Watch one from its page.",
                    ),
                    rx.cond(
                        MyTasksState.is_staff,
                        "Tasks assigned to you or supervised by you show up here.",
                        "Tasks assigned to you show up here.",
                    ),
                ),
            ),
        ),
        task_dialog(on_created=MyTasksState.reload),
        title="Tasks",
        actions=rx.cond(
            MyTasksState.is_staff,
            rx.button(
                rx.icon("plus", size=14),
                "New task",
                on_click=TaskDialogState.open_anywhere,
                id="new-task",
            ),
        ),
    )


# ---------------------------------------------------------------- /tasks/[task_id]


def _meta(label: str, value: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="1", color=rx.color("gray", 10), width="90px", min_width="90px"),
        value,
        align="center",
        width="100%",
    )


def _comment(c: CommentRow) -> rx.Component:
    """A note on the task, with the review room's ⋯ (Edit, Delete) where the viewer may."""
    body = rx.cond(
        c.deleted,
        rx.text(
            "Comment deleted",
            size="2",
            font_style="italic",
            color=rx.color("gray", 9),
            class_name="comment-deleted",
        ),
        rx.text(c.body, size="2", white_space="pre-wrap", class_name="comment-body"),
    )
    menu, body, question = comment_actions(c, TaskState, body)
    return rx.box(
        rx.hstack(
            rx.text(c.author, size="2", weight="bold"),
            rx.cond(c.is_client, rx.badge("Client", color_scheme="violet", size="1")),
            rx.text(c.where, size="1", color=rx.color("gray", 10)),
            rx.spacer(),
            rx.text(
                c.when,
                rx.cond(
                    c.edited != "",
                    rx.text.span(" · edited", title=c.edited, class_name="comment-edited"),
                ),
                size="1",
                color=rx.color("gray", 10),
            ),
            menu,
            align="center",
        ),
        body,
        question,
        padding="8px 0",
        border_bottom=f"1px solid {rx.color('gray', 3)}",
        width="100%",
        class_name="comment",
    )


def _status_control() -> rx.Component:
    t = TaskState.task
    return rx.select.root(
        rx.select.trigger(id="task-status"),
        rx.select.content(*[rx.select.item(v, value=k) for k, v in STATUS_LABELS.items()]),
        value=t.status,
        on_change=TaskState.set_status,
        size="1",
    )


def _people_select(options, value, on_change, select_id: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=select_id),
        rx.select.content(
            rx.select.item("Unassigned", value=NOBODY),
            rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value)),
        ),
        value=value,
        on_change=on_change,
        size="1",
    )


def _sidebar() -> rx.Component:
    t = TaskState.task
    staff = TaskState.is_staff
    return rx.card(
        rx.vstack(
            _meta("Status", _status_control()),
            _meta("Type", rx.text(t.type_label, size="2")),
            _meta("Priority", rx.text(t.priority.to(str).capitalize(), size="2")),
            _meta(
                "Due",
                rx.cond(
                    staff,
                    rx.input(
                        type="date",
                        default_value=t.due_iso,
                        key=t.due_iso,
                        on_blur=TaskState.set_due,
                        size="1",
                        id="task-due-input",
                    ),
                    due_chip(t.due, t.due_tone),
                ),
            ),
            _meta(
                "Estimate",
                rx.text(
                    rx.cond(TaskState.estimated_hours != "", TaskState.estimated_hours + " h", "—"),
                    size="2",
                ),
            ),
            rx.separator(),
            _meta(
                "Artist",
                rx.cond(
                    staff,
                    _people_select(
                        TaskState.artist_options,
                        rx.cond(t.artist_id != "", t.artist_id, NOBODY),
                        TaskState.set_artist,
                        "task-artist-select",
                    ),
                    artist_cell(t),
                ),
            ),
            _meta(
                "Supervisor",
                rx.cond(
                    staff,
                    _people_select(
                        TaskState.supervisor_options,
                        TaskState.supervisor_id,
                        TaskState.set_supervisor,
                        "task-supervisor-select",
                    ),
                    rx.text(rx.cond(t.supervisor != "", t.supervisor, "—"), size="2"),
                ),
            ),
            _meta(
                "Watchers",
                rx.text(
                    rx.cond(
                        TaskState.watcher_names.length() > 0,
                        TaskState.watcher_names.join(", "),
                        "—",
                    ),
                    size="2",
                ),
            ),
            rx.button(
                rx.icon(rx.cond(TaskState.watching, "eye-off", "eye"), size=14),
                rx.cond(TaskState.watching, "Unwatch", "Watch"),
                variant="soft",
                size="1",
                on_click=TaskState.toggle_watch,
                id="watch-toggle",
            ),
            spacing="3",
        ),
        width="100%",
    )


def _edit_form() -> rx.Component:
    t = TaskState.task
    return rx.form(
        rx.vstack(
            field("Title", rx.input(name="title", default_value=t.title, auto_focus=True)),
            rx.hstack(
                field("Type", rx.select(TASK_TYPES, name="type", default_value=t.type)),
                field("Priority", rx.select(PRIORITIES, name="priority", default_value=t.priority)),
                field(
                    "Estimate (h)",
                    rx.input(name="estimated_hours", default_value=TaskState.estimated_hours),
                ),
                width="100%",
            ),
            field(
                "Description",
                rx.text_area(name="description", default_value=TaskState.description, rows="3"),
            ),
            rx.hstack(
                rx.button(
                    "Cancel",
                    variant="soft",
                    color_scheme="gray",
                    type="button",
                    on_click=TaskState.set_editing(False),
                ),
                rx.button("Save", type="submit", id="task-save"),
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=TaskState.save_details,
        reset_on_submit=False,
        width="100%",
    )


def _breadcrumb() -> rx.Component:
    """Where the task is, then the production facts a visitor comes for: its status, who
    does it and when it is due (red when overdue), above the player."""
    t = TaskState.task
    dot = rx.text("·", color=rx.color("gray", 8))
    return rx.hstack(
        rx.link(t.project_code, href="/projects/" + t.project_id.to_string()),
        rx.text("/", color=rx.color("gray", 8)),
        rx.text(t.parent_code, weight="bold"),
        rx.text("/", color=rx.color("gray", 8)),
        rx.text(t.title),
        rx.box(status_badge(t.status), id="task-header-status", data_status=t.status),
        dot,
        rx.box(artist_cell(t), id="task-header-artist"),
        dot,
        rx.hstack(
            rx.text("Due", size="2", color=rx.color("gray", 10)),
            due_chip(t.due, t.due_tone),
            align="center",
            spacing="1",
            id="task-header-due",
            data_tone=t.due_tone,
        ),
        size="2",
        align="center",
        wrap="wrap",
        id="breadcrumb",
    )


def _main() -> rx.Component:
    return rx.vstack(
        rx.cond(
            TaskState.editing,
            _edit_form(),
            rx.hstack(
                rx.cond(
                    TaskState.description != "",
                    rx.text(TaskState.description, size="2", white_space="pre-wrap"),
                    rx.text("No description.", size="2", color=rx.color("gray", 9)),
                ),
                rx.spacer(),
                rx.cond(
                    TaskState.is_staff,
                    rx.button(
                        rx.icon("pencil", size=12),
                        "Edit",
                        size="1",
                        variant="ghost",
                        on_click=TaskState.set_editing(True),
                        id="task-edit",
                    ),
                ),
                rx.cond(
                    TaskState.can_manage_projects,
                    rx.button(
                        rx.icon("trash-2", size=12),
                        "Delete task",
                        size="1",
                        variant="ghost",
                        color_scheme="red",
                        on_click=TaskState.set_confirm_delete_task(True),
                        id="task-delete",
                    ),
                ),
                width="100%",
            ),
        ),
        rx.heading("Versions", size="3", padding_top="12px"),
        version_table(),
        rx.heading("Notes on the task", size="3", padding_top="12px"),
        rx.vstack(
            rx.foreach(TaskState.comments, _comment), spacing="0", width="100%", id="task-notes"
        ),
        rx.hstack(
            rx.text_area(
                value=TaskState.comment_text,
                on_change=TaskState.set_comment_text,
                placeholder="Add a note for the team…",
                rows="2",
                width="100%",
                id="comment-input",
            ),
            rx.button("Post", on_click=TaskState.add_comment, id="comment-post"),
            width="100%",
            align="end",
        ),
        rx.heading("Activity", size="3", padding_top="12px"),
        live_follow(TaskActivityState),
        rx.vstack(
            rx.foreach(TaskActivityState.rows, activity_item),
            spacing="0",
            width="100%",
            id="task-activity",
        ),
        width="100%",
        spacing="2",
    )


def _delete_task_dialog() -> rx.Component:
    """Asks first, saying how many versions go with the task."""
    count = ReviewState.versions.length()
    with_versions = rx.cond(
        count == 0,
        "",
        rx.cond(
            count == 1,
            " and its 1 version",
            " and its " + count.to_string() + " versions",
        ),
    )
    return confirm_dialog(
        "Delete the "
        + TaskState.task.parent_code
        + " "
        + ReviewState.task_type
        + " task"
        + with_versions
        + "?",
        "Its versions, their files, comments and decisions, and the notes on the task "
        "are deleted with it. This cannot be undone.",
        "Delete task",
        TaskState.delete_task,
        open=TaskState.confirm_delete_task,
        on_open_change=TaskState.set_confirm_delete_task,
        id_prefix="task-delete",
    )


def _task_body() -> rx.Component:
    return rx.cond(
        TaskState.task,
        rx.vstack(
            _breadcrumb(),
            rx.cond(
                ReviewState.loaded
                & (ReviewState.page == "task")
                & (ReviewState.task_id == TaskState.task_id),
                review_room(),
                rx.spinner(),
            ),
            beside(_main(), _sidebar()),
            _delete_task_dialog(),
            spacing="4",
            width="100%",
        ),
        rx.spinner(),
    )


def task_page() -> rx.Component:
    """Task page = the review room (player, comments, decisions, versions) + production
    metadata, notes and activity."""
    return page_shell(
        rx.cond(
            ReviewState.gone
            & (ReviewState.page == "task")
            & (ReviewState.task_id == TaskState.task_id),
            gone_notice(
                "Task no longer available",
                "This task or its project was deleted, or you no longer have access to it.",
            ),
            _task_body(),
        ),
        # the review room's form: "SH030 Comp · v002" (the version in the player)
        title=rx.cond(
            TaskState.task,
            TaskState.task.parent_code
            + " "
            + TaskState.task.title
            + rx.cond(
                (ReviewState.task_id == TaskState.task_id) & (ReviewState.version_label != ""),
                " · " + ReviewState.version_label,
                "",
            ),
            "Task",
        ),
        actions=rx.cond(
            ReviewState.loaded & ~ReviewState.gone & (ReviewState.task_id == TaskState.task_id),
            upload_button(),
        ),
    )
