import reflex as rx

from feedback_app import routes
from services import auth
from services.db import session_scope
from services.errors import DomainError
from state.base import AppState


class LoginState(AppState):
    error: str = ""

    @rx.event
    def on_load(self):
        self.error = ""
        user = self.actor()
        if user is not None:
            return rx.redirect(routes.home_for(user.role))

    @rx.event
    def submit(self, form: dict):
        email = str(form.get("email", ""))
        password = str(form.get("password", ""))
        try:
            with session_scope() as s:
                token, user = auth.sign_in(
                    s, email=email, password=password, client_ip=self.router.session.client_ip
                )
        except DomainError as e:
            self.error = str(e)
            return
        self.error = ""
        self.session_token = token
        self._remember(user)
        target = self.router.url.query_parameters.get("next") or ""
        # only same-site paths, and clients never land on a studio page
        if not target.startswith("/") or target.startswith("//") or user.role == "CLIENT":
            target = routes.home_for(user.role)
        return rx.redirect(target)
