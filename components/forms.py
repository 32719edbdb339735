"""Form pieces shared by dialogs: labelled fields, an error callout, dialog frame."""

import reflex as rx


def field(label: str, control: rx.Component) -> rx.Component:
    """A label over its control; the control takes the field's whole width (inputs, selects
    and date pickers alike), so a placeholder or a value is not cut short."""
    return rx.vstack(
        rx.text(label, size="1", weight="medium", color=rx.color("gray", 11)),
        control,
        spacing="1",
        width="100%",
        align="stretch",
    )


def error_callout(message: rx.Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", size="1", width="100%"),
    )


def form_dialog(
    *,
    title: str,
    open_var: rx.Var,
    on_open_change,
    on_submit,
    error: rx.Var,
    submit_label: str,
    dialog_id: str,
    body: list[rx.Component],
) -> rx.Component:
    """A dialog holding one form: Enter submits, Esc closes, errors show inline."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.vstack(
                    *body,
                    error_callout(error),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button(submit_label, type="submit", id=f"{dialog_id}-submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
            ),
            id=dialog_id,
            max_width="480px",
        ),
        open=open_var,
        on_open_change=on_open_change,
    )


def confirm_dialog(
    title,
    text: str,
    action: str,
    on_confirm,
    *,
    open,
    on_open_change,
    id_prefix: str,
    max_width: str = "460px",
    danger: bool = True,
) -> rx.Component:
    """A dialog opened by state that asks before an action (Delete, Archive): Cancel, or the
    action (red when it destroys). Ids: <id_prefix>-dialog, -cancel and -confirm."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(text, size="2"),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button(
                        "Cancel", variant="soft", color_scheme="gray", id=f"{id_prefix}-cancel"
                    )
                ),
                rx.alert_dialog.action(
                    rx.button(
                        action,
                        on_click=on_confirm,
                        id=f"{id_prefix}-confirm",
                        **({"color_scheme": "red"} if danger else {}),
                    )
                ),
                spacing="3",
                justify="end",
                padding_top="12px",
            ),
            max_width=max_width,
            id=f"{id_prefix}-dialog",
        ),
        open=open,
        on_open_change=on_open_change,
    )
