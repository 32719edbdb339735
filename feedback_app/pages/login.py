import reflex as rx

from state.login import LoginState


def login_page() -> rx.Component:
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.hstack(
                        rx.icon("clapperboard", size=22, color=rx.color("accent", 10)),
                        rx.heading("FeedBack", size="6"),
                        align="center",
                        spacing="2",
                    ),
                    rx.text("Sign in to your studio", size="2", color=rx.color("gray", 10)),
                    rx.input(
                        name="email",
                        id="login-email",
                        placeholder="you@studio.com",
                        type="email",
                        auto_focus=True,
                        width="100%",
                        size="3",
                    ),
                    rx.input(
                        name="password",
                        id="login-password",
                        placeholder="Password",
                        type="password",
                        width="100%",
                        size="3",
                    ),
                    rx.cond(
                        LoginState.error != "",
                        rx.callout(
                            LoginState.error,
                            icon="triangle-alert",
                            color_scheme="red",
                            size="1",
                            width="100%",
                            id="login-error",
                        ),
                    ),
                    rx.button("Sign in", type="submit", id="login-submit", width="100%", size="3"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=LoginState.submit,
                reset_on_submit=False,
            ),
            width="360px",
            padding="28px",
        ),
        height="100vh",
    )
