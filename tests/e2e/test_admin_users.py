"""An admin creates an account, gives it a project, and the new user can sign in."""

import re

from playwright.sync_api import expect


def test_admin_creates_a_client_who_sees_only_the_portal(page, app_server, login, browser):
    login(page, app_server, "admin@demo.feedback")
    page.locator("#nav-admin").click()
    page.locator("#new-user").click()
    dialog = page.locator("#create-user")
    dialog.locator("input[name=name]").fill("Quinn Client")
    dialog.locator("input[name=email]").fill("quinn@client.example")
    dialog.get_by_role("combobox").click()
    page.get_by_role("option", name="Client").click()
    dialog.locator("input[name=password]").fill("short")
    dialog.locator("input[name=password]").press("Enter")
    expect(dialog).to_contain_text("at least 8 characters")
    dialog.locator("input[name=password]").fill("feedback-quinn")
    dialog.locator("#create-user-submit").click()
    expect(dialog).to_have_count(0)
    row = page.locator(".user-row", has_text="quinn@client.example")
    expect(row).to_be_visible()
    expect(row.get_by_role("combobox")).to_have_text("Client")  # as the sidebar says it

    other = browser.new_context(base_url=app_server)
    try:
        p2 = other.new_page()
        login(p2, app_server, "quinn@client.example", "feedback-quinn")
        expect(p2).to_have_url(re.compile(r"/portal/?$"))
    finally:
        other.close()


def test_duplicate_email_is_refused_with_a_message(page, app_server, login):
    login(page, app_server, "admin@demo.feedback")
    page.goto("/admin/users")
    page.locator("#new-user").click()
    dialog = page.locator("#create-user")
    dialog.locator("input[name=name]").fill("Another Artist")
    dialog.locator("input[name=email]").fill("artist@demo.feedback")
    dialog.locator("input[name=password]").fill("feedback-123")
    dialog.locator("#create-user-submit").click()
    expect(dialog).to_contain_text("already exists")
