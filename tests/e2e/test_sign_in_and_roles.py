"""A person signs in as each role and sees the navigation that role may use."""

import re

import pytest
from playwright.sync_api import expect

STUDIO_NAV = ["#nav-dashboard", "#nav-projects", "#nav-tasks"]


@pytest.mark.parametrize(
    ("email", "role", "sees_admin"),
    [
        ("admin@demo.feedback", "Admin", True),
        ("producer@demo.feedback", "Producer", False),
        ("supervisor@demo.feedback", "Supervisor", False),
        ("artist@demo.feedback", "Artist", False),
    ],
)
def test_studio_roles_see_their_navigation(page, app_server, login, email, role, sees_admin):
    login(page, app_server, email)
    expect(page.locator("#nav-role")).to_have_text(role)
    for item in STUDIO_NAV:
        expect(page.locator(item)).to_be_visible()
    expect(page.locator("#nav-admin")).to_have_count(1 if sees_admin else 0)
    expect(page.locator("#sign-out")).to_be_visible()


def test_client_lands_in_portal_without_studio_navigation(page, app_server, login):
    login(page, app_server, "client@demo.feedback")
    expect(page).to_have_url(re.compile(r"/portal/?$"))
    for item in [*STUDIO_NAV, "#nav-admin"]:
        expect(page.locator(item)).to_have_count(0)


@pytest.mark.parametrize("path", ["/", "/projects", "/projects/1", "/tasks", "/admin/users"])
def test_client_is_refused_internal_pages(page, app_server, login, path):
    login(page, app_server, "client@demo.feedback")
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/portal/?$"))
    expect(page.locator(".project-card")).to_have_count(0)
    expect(page.locator(".task-row")).to_have_count(0)
    expect(page.locator(".user-row")).to_have_count(0)


def test_artist_is_refused_the_admin_page(page, app_server, login):
    login(page, app_server, "artist@demo.feedback")
    page.goto("/admin/users")
    expect(page).not_to_have_url(re.compile(r"/admin"))
    expect(page.locator(".user-row")).to_have_count(0)


def test_wrong_password_is_refused_with_a_message(page, app_server):
    page.goto("/login")
    page.locator("#login-email").fill("admin@demo.feedback")
    page.locator("#login-password").fill("not-the-password")
    page.locator("#login-submit").click()
    expect(page.locator("#login-error")).to_contain_text("Wrong email or password")
    expect(page.locator("#nav-user")).to_have_count(0)


def test_repeated_wrong_passwords_lock_that_email_for_a_while(page, app_server):
    """Throttled per email (services.auth): the sixth try is told to wait, even with the right
    password. The email is one of no account, so the other tests' accounts stay free."""
    page.goto("/login")
    page.locator("#login-email").fill("intruder@demo.feedback")
    for _ in range(5):
        page.locator("#login-password").fill("guess-password")
        page.locator("#login-submit").click()
        expect(page.locator("#login-error")).to_contain_text("Wrong email or password")
    expect(page.locator("#login-error")).to_contain_text("wait 30 s")
    page.locator("#login-submit").click()
    expect(page.locator("#login-error")).to_contain_text("Too many failed sign-ins. Try again in")
    expect(page.locator("#nav-user")).to_have_count(0)


def test_signed_out_visitor_is_sent_to_sign_in(page, app_server):
    page.goto("/projects")
    expect(page).to_have_url(re.compile(r"/login"))


def test_sign_out_ends_the_session(page, app_server, login):
    login(page, app_server, "producer@demo.feedback")
    page.locator("#sign-out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto("/projects")
    expect(page).to_have_url(re.compile(r"/login"))


def test_producer_opens_a_demo_project(page, app_server, login):
    login(page, app_server, "producer@demo.feedback")
    page.locator("#nav-projects").click()
    cards = page.locator(".project-card")
    # other tests may add projects: the demo's two are there whatever else is
    expect(cards.filter(has_text="Nightfall")).to_have_count(1)
    expect(cards.filter(has_text="Harbor")).to_have_count(1)
    cards.filter(has_text="Nightfall").click()
    expect(page).to_have_url(re.compile(r"/projects/\d+"))
    expect(page.locator(".shot-row").first).to_be_visible()
    page.locator("#tab-tasks").click()
    expect(page.locator(".task-row").first).to_be_visible()
