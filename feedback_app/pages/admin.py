import reflex as rx

from components.badges import avatar
from components.forms import field, form_dialog
from components.shell import page_shell
from components.tables import header
from state.admin import ROLES, AdminState
from state.formatting import role_label
from state.rows import UserRow


def _role_select(**props) -> rx.Component:
    """Roles as the sidebar writes them ("Admin"); the value stays the role ("ADMIN")."""
    return rx.select.root(
        rx.select.trigger(),
        rx.select.content(*[rx.select.item(role_label(r), value=r) for r in ROLES]),
        **props,
    )


def _user_tr(u: UserRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.hstack(avatar(u.initials), rx.text(u.name), align="center")),
        rx.table.cell(u.email),
        rx.table.cell(
            _role_select(
                value=u.role,
                on_change=lambda role: AdminState.set_role(u.id, role),
                size="1",
            )
        ),
        rx.table.cell(
            rx.switch(
                checked=u.active,
                on_change=lambda v: AdminState.set_active(u.id, v),
                size="1",
            )
        ),
        rx.table.cell(
            rx.checkbox(
                checked=AdminState.member_ids.contains(u.id),
                on_change=lambda v: AdminState.set_member(u.id, v),
            )
        ),
        rx.table.cell(
            rx.icon_button(
                rx.icon("pencil", size=14),
                on_click=AdminState.open_edit(u.id),
                variant="ghost",
                size="1",
                title="Edit name or set a new password",
                class_name="user-edit",
            )
        ),
        class_name="user-row",
    )


def _create_dialog() -> rx.Component:
    return form_dialog(
        title="New user",
        open_var=AdminState.create_open,
        on_open_change=AdminState.set_create_open,
        on_submit=AdminState.create_user,
        error=AdminState.create_error,
        submit_label="Create user",
        dialog_id="create-user",
        body=[
            field("Name", rx.input(name="name", auto_focus=True)),
            field("Email", rx.input(name="email", type="email")),
            field("Role", _role_select(name="role", default_value="ARTIST")),
            field("Password (8+ characters)", rx.input(name="password", type="password")),
        ],
    )


def _edit_dialog() -> rx.Component:
    return form_dialog(
        title="Edit " + AdminState.edit_email,
        open_var=AdminState.edit_id > 0,
        on_open_change=AdminState.set_edit_open,
        on_submit=AdminState.save_edit,
        error=AdminState.edit_error,
        submit_label="Save",
        dialog_id="edit-user",
        body=[
            field(
                "Name",
                rx.input(name="name", default_value=AdminState.edit_name, key=AdminState.edit_id),
            ),
            field(
                "New password (leave empty to keep it; 8+ characters)",
                rx.input(name="password", type="password", auto_complete="new-password"),
            ),
            rx.text(
                "A new password signs this person out everywhere.",
                size="1",
                color=rx.color("gray", 11),
            ),
        ],
    )


def admin_page() -> rx.Component:
    return page_shell(
        rx.hstack(
            rx.text("Project membership for", size="2"),
            rx.select.root(
                rx.select.trigger(placeholder="Project"),
                rx.select.content(
                    rx.foreach(
                        AdminState.project_options,
                        lambda p: rx.select.item(p.label, value=p.id),
                    )
                ),
                value=AdminState.selected_project,
                on_change=AdminState.select_project,
                size="1",
            ),
            rx.text(
                "Clients see only the projects they are members of.",
                size="1",
                color=rx.color("gray", 10),
            ),
            align="center",
            padding_bottom="12px",
        ),
        rx.table.root(
            header("Name", "Email", "Role", "Active", "Member", ""),
            rx.table.body(rx.foreach(AdminState.users, _user_tr)),
            size="1",
            width="100%",
            variant="surface",
        ),
        _create_dialog(),
        _edit_dialog(),
        title="Users & access",
        actions=rx.button(
            rx.icon("user-plus", size=14),
            "New user",
            on_click=AdminState.set_create_open(True),
            id="new-user",
        ),
    )
