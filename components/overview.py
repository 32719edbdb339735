"""The shot and asset overviews: a row per item, its tasks as status chips, quick-add buttons."""

import reflex as rx

from components.badges import STATUS_COLORS, due_chip, empty_state
from components.forms import field, form_dialog
from state.formatting import type_label
from state.project import ProjectState
from state.rows import ChipRow, ItemRow
from state.share import ShareState
from state.task_dialog import TASK_TYPES


def chip(c: ChipRow) -> rx.Component:
    """A task as a status chip: click opens the task; right-click offers its latest version's
    review and, for the studio's leads, Share With Client."""
    color = rx.match(c.status, *[(k, v) for k, v in STATUS_COLORS.items()], "gray")
    badge = rx.tooltip(
        rx.link(
            rx.badge(
                rx.text(c.type_label, weight="medium"),
                rx.cond(c.version != "", rx.text(c.version, opacity="0.75")),
                rx.cond(
                    c.approval == "APPROVED",
                    rx.icon("check", size=11),
                ),
                rx.cond(
                    c.approval == "CHANGES_REQUESTED",
                    rx.icon("rotate-ccw", size=11),
                ),
                rx.cond(c.shared, rx.icon("send", size=10, opacity="0.75")),
                color_scheme=color,
                variant="soft",
                size="1",
                class_name="task-chip",
                data_status=c.status,
                data_version_id=c.version_id,
            ),
            href=c.task_href,
            underline="none",
        ),
        content=c.tooltip,
    )
    return rx.context_menu.root(
        rx.context_menu.trigger(rx.box(badge, display="inline-flex", class_name="chip-trigger")),
        rx.context_menu.content(
            rx.context_menu.item("Open task", on_select=rx.redirect(c.task_href)),
            rx.cond(
                c.version_id > 0,
                rx.fragment(
                    rx.context_menu.item(
                        "Review ", c.version, on_select=rx.redirect(c.review_href)
                    ),
                    rx.cond(
                        ProjectState.is_staff,
                        rx.fragment(
                            rx.context_menu.separator(),
                            rx.cond(
                                c.shared,
                                rx.context_menu.item(
                                    rx.icon("link", size=12),
                                    "Copy client link",
                                    on_select=ShareState.copy_link(c.version_id),
                                ),
                                rx.context_menu.item(
                                    rx.icon("send", size=12),
                                    "Share With Client",
                                    disabled=c.version_state != "READY",
                                    on_select=ShareState.share(c.version_id),
                                    class_name="chip-share",
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            size="1",
        ),
    )


def quick_add_button(t: rx.Var, on_click) -> rx.Component:
    """ "+ Track": one click adds the standard task (its accessible name is "Add Track")."""
    label = t.to(str).lower().capitalize()
    return rx.button(
        rx.icon("plus", size=12),
        label,
        size="1",
        variant="soft",
        on_click=on_click,
        class_name="quick-add",
        data_type=t,
        aria_label="Add " + label,
        title="Add " + label,
    )


def all_quick_added(item: ItemRow) -> rx.Component:
    return rx.cond(
        item.missing_quick.length() == 0,
        rx.text(
            "All standard tasks added",
            size="1",
            color=rx.color("gray", 10),
            class_name="quick-done",
        ),
    )


def _quick_buttons(kind: str, item: ItemRow) -> rx.Component:
    return rx.cond(
        ProjectState.is_staff,
        rx.hstack(
            rx.foreach(
                item.missing_quick,
                lambda t: quick_add_button(t, ProjectState.quick_add(kind, item.id, t)),
            ),
            all_quick_added(item),
            spacing="1",
            align="center",
        ),
    )


def item_tr(kind: str, item: ItemRow) -> rx.Component:
    page = "shots" if kind == "shot" else "assets"
    cells = []
    if kind == "shot":
        cells.append(
            rx.table.cell(
                rx.cond(
                    ProjectState.is_staff,
                    rx.checkbox(
                        checked=ProjectState.selected_shots.contains(item.id),
                        on_change=lambda v: ProjectState.toggle_shot(item.id, v),
                        class_name="shot-select",
                    ),
                ),
                width="28px",
            )
        )
    cells += [
        rx.table.cell(
            rx.link(
                rx.text(item.code, weight="bold"),
                href="/projects/"
                + ProjectState.project_id.to_string()
                + f"/{page}/"
                + item.id.to_string(),
                class_name=f"{kind}-link",
            ),
            rx.text(item.name, size="1", color=rx.color("gray", 10)),
        ),
        rx.table.cell(
            rx.hstack(
                rx.foreach(item.chips, chip),
                _quick_buttons(kind, item),
                wrap="wrap",
                align="center",
            ),
        ),
    ]
    if kind == "shot":
        cells.append(rx.table.cell(rx.text(item.frames, size="1")))
    cells += [
        rx.table.cell(rx.text(item.lead, size="1")),
        rx.table.cell(due_chip(item.due, item.due_tone)),
    ]
    return rx.table.row(*cells, class_name=f"{kind}-row", data_code=item.code, align="center")


def shots_toolbar() -> rx.Component:
    return rx.cond(
        ProjectState.is_staff,
        rx.hstack(
            rx.button(
                rx.icon("plus", size=14),
                "New shot",
                size="1",
                on_click=ProjectState.open_item_dialog("shot"),
                id="new-shot",
            ),
            rx.button(
                rx.icon("file-up", size=14),
                "Import CSV",
                size="1",
                variant="soft",
                on_click=ProjectState.set_import_open(True),
                id="import-csv",
            ),
            rx.button(
                rx.icon("layers", size=14),
                "New template",
                size="1",
                variant="soft",
                on_click=ProjectState.set_template_open(True),
                id="new-template",
            ),
            rx.cond(
                ProjectState.selected_shots.length() > 0,
                rx.menu.root(
                    rx.menu.trigger(
                        rx.button(
                            "Apply template to ",
                            ProjectState.selected_shots.length(),
                            " shot(s)",
                            rx.icon("chevron-down", size=12),
                            size="1",
                            variant="soft",
                            id="apply-template",
                        )
                    ),
                    rx.menu.content(
                        rx.foreach(
                            ProjectState.template_options,
                            lambda o: rx.menu.item(
                                o.label, on_click=ProjectState.apply_template(o.value)
                            ),
                        )
                    ),
                ),
            ),
            spacing="2",
            padding_bottom="10px",
        ),
    )


def shots_table() -> rx.Component:
    return rx.vstack(
        shots_toolbar(),
        rx.cond(
            ProjectState.shot_items.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(
                            rx.cond(
                                ProjectState.is_staff,
                                rx.checkbox(
                                    on_change=ProjectState.select_all_shots,
                                    id="select-all-shots",
                                ),
                            ),
                        ),
                        rx.table.column_header_cell("Shot"),
                        rx.table.column_header_cell("Tasks"),
                        rx.table.column_header_cell("Frames"),
                        rx.table.column_header_cell("Lead"),
                        rx.table.column_header_cell("Due"),
                    )
                ),
                rx.table.body(rx.foreach(ProjectState.shot_items, lambda i: item_tr("shot", i))),
                size="1",
                width="100%",
                variant="surface",
            ),
            empty_state(
                "No shots yet", "Add a shot with New shot, or import a shot list from CSV.", "film"
            ),
        ),
        width="100%",
    )


def assets_table() -> rx.Component:
    return rx.vstack(
        rx.cond(
            ProjectState.is_staff,
            rx.button(
                rx.icon("plus", size=14),
                "New asset",
                size="1",
                on_click=ProjectState.open_item_dialog("asset"),
                id="new-asset",
            ),
        ),
        rx.cond(
            ProjectState.asset_items.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(h) for h in ("Asset", "Tasks", "Lead", "Due")]
                    )
                ),
                rx.table.body(rx.foreach(ProjectState.asset_items, lambda i: item_tr("asset", i))),
                size="1",
                width="100%",
                variant="surface",
            ),
            empty_state(
                "No assets yet", "Add characters, props and vehicles with New asset.", "box"
            ),
        ),
        width="100%",
    )


def item_dialog() -> rx.Component:
    is_shot = ProjectState.item_dialog == "shot"
    return form_dialog(
        title=rx.cond(is_shot, "New shot", "New asset"),
        open_var=ProjectState.item_dialog != "",
        on_open_change=ProjectState.close_item_dialog,
        on_submit=ProjectState.create_item,
        error=ProjectState.item_error,
        submit_label="Add",
        dialog_id="item-dialog",
        body=[
            rx.hstack(
                field(
                    "Code",
                    rx.cond(
                        is_shot,
                        # The next free code, selected: type over it or keep it.
                        rx.input(
                            name="code",
                            default_value=ProjectState.next_shot_code,
                            auto_focus=True,
                            on_focus=rx.call_script("document.activeElement?.select?.()"),
                        ),
                        rx.input(name="code", placeholder="CAR02", auto_focus=True),
                    ),
                ),
                field("Name", rx.input(name="name")),
                width="100%",
                spacing="3",
            ),
            rx.cond(
                is_shot,
                rx.hstack(
                    # The project's start frame; the last frame may wait until the cut is known.
                    field(
                        "Frame in",
                        rx.input(
                            name="frame_in",
                            type="number",
                            min="0",
                            default_value=ProjectState.start_frame.to_string(),
                        ),
                    ),
                    field(
                        "Frame out",
                        rx.input(
                            name="frame_out",
                            type="number",
                            min="0",
                            placeholder="last frame (optional)",
                        ),
                    ),
                    width="100%",
                    spacing="3",
                ),
            ),
            field("Due date", rx.input(name="due_date", type="date")),
            field("Description", rx.text_area(name="description", rows="2")),
        ],
    )


def _preview_tr(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r.line),
        rx.table.cell(r.code),
        rx.table.cell(r.name),
        rx.table.cell(r.frames),
        rx.table.cell(r.due),
        rx.table.cell(rx.text(r.errors, color=rx.color("red", 11), size="1")),
        class_name=rx.cond(r.errors != "", "import-row import-row-bad", "import-row"),
    )


def import_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Import shots from CSV"),
            rx.dialog.description(
                "Columns: code, name, description, frame_in, frame_out, due_date (only code is "
                "required). Nothing is written until every row is valid.",
                size="2",
            ),
            rx.vstack(
                rx.upload.root(
                    rx.hstack(
                        rx.icon("file-up", size=16),
                        rx.text("Drop a .csv here or click to choose", size="2"),
                        align="center",
                    ),
                    id="csv-upload",
                    accept={"text/csv": [".csv"], "text/plain": [".txt"]},
                    max_files=1,
                    on_drop=ProjectState.upload_csv(rx.upload_files(upload_id="csv-upload")),
                    border=f"1px dashed {rx.color('gray', 7)}",
                    padding="14px",
                    border_radius="8px",
                    width="100%",
                    cursor="pointer",
                ),
                rx.text_area(
                    value=ProjectState.import_text,
                    on_change=ProjectState.set_import_text,
                    placeholder="…or paste the CSV here",
                    rows="5",
                    width="100%",
                    id="csv-text",
                    font_family="monospace",
                ),
                rx.cond(
                    ProjectState.import_problems.length() > 0,
                    rx.callout(
                        rx.vstack(
                            rx.text("Nothing will be imported until these are fixed:"),
                            rx.foreach(ProjectState.import_problems, lambda p: rx.text(p)),
                            spacing="1",
                        ),
                        icon="triangle-alert",
                        color_scheme="red",
                        size="1",
                        width="100%",
                        id="import-problems",
                    ),
                ),
                rx.cond(
                    ProjectState.import_rows.length() > 0,
                    rx.scroll_area(
                        rx.table.root(
                            rx.table.header(
                                rx.table.row(
                                    *[
                                        rx.table.column_header_cell(h)
                                        for h in ("Line", "Code", "Name", "Frames", "Due", "")
                                    ]
                                )
                            ),
                            rx.table.body(rx.foreach(ProjectState.import_rows, _preview_tr)),
                            size="1",
                        ),
                        max_height="240px",
                    ),
                ),
                rx.hstack(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                    rx.button(
                        "Preview",
                        variant="soft",
                        on_click=ProjectState.preview_import,
                        id="import-preview",
                    ),
                    rx.button(
                        "Import ",
                        ProjectState.import_rows.length(),
                        " shot(s)",
                        on_click=ProjectState.run_import,
                        disabled=~ProjectState.import_checked
                        | (ProjectState.import_problems.length() > 0),
                        id="import-run",
                    ),
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                padding_top="10px",
            ),
            max_width="720px",
        ),
        open=ProjectState.import_open,
        on_open_change=ProjectState.set_import_open,
    )


def template_dialog() -> rx.Component:
    return form_dialog(
        title="New shot template",
        open_var=ProjectState.template_open,
        on_open_change=ProjectState.set_template_open,
        on_submit=ProjectState.create_template,
        error=ProjectState.template_error,
        submit_label="Save template",
        dialog_id="template-dialog",
        body=[
            field(
                "Name",
                rx.input(name="name", placeholder="Standard comp shot", auto_focus=True),
            ),
            rx.text("Task types", size="1", weight="medium", color=rx.color("gray", 11)),
            rx.grid(
                *[
                    rx.checkbox(
                        type_label(t),
                        checked=ProjectState.template_types.contains(t),
                        on_change=lambda v, t=t: ProjectState.toggle_template_type(t, v),
                        class_name="template-type",
                    )
                    for t in TASK_TYPES
                ],
                columns="3",
                spacing="2",
            ),
            rx.text(
                "Apply it to selected shots from the Shots tab; types a shot already has are "
                "skipped.",
                size="1",
                color=rx.color("gray", 10),
            ),
        ],
    )
