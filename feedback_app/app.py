"""The Reflex app: pages and HTTP routes are registered here."""

import reflex as rx


def index() -> rx.Component:
    return rx.center(rx.heading("FeedBack"), height="100vh")


app = rx.App(theme=rx.theme(appearance="dark", accent_color="iris"))
app.add_page(index, route="/")
