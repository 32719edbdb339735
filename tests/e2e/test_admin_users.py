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


def test_admin_renames_a_user_and_sets_a_new_password_that_signs_them_out(
    page, app_server, login, browser
):
    # A user of this test's own, signed in in a second browser before the reset.
    login(page, app_server, "admin@demo.feedback")
    page.goto("/admin/users")
    page.locator("#new-user").click()
    dialog = page.locator("#create-user")
    dialog.locator("input[name=name]").fill("Robin Roto")
    dialog.locator("input[name=email]").fill("robin@studio.example")
    dialog.locator("input[name=password]").fill("feedback-robin")
    dialog.locator("#create-user-submit").click()
    expect(dialog).to_have_count(0)
    other = browser.new_context(base_url=app_server)
    try:
        p2 = other.new_page()
        login(p2, app_server, "robin@studio.example", "feedback-robin")

        row = page.locator(".user-row", has_text="robin@studio.example")
        row.locator(".user-edit").click()
        edit = page.locator("#edit-user")
        expect(edit).to_contain_text("robin@studio.example")
        expect(edit.locator("input[name=name]")).to_have_value("Robin Roto")
        edit.locator("input[name=name]").fill("Robin Rotoscope")
        edit.locator("input[name=password]").fill("short")
        edit.locator("#edit-user-submit").click()
        expect(edit).to_contain_text("at least 8 characters")
        edit.locator("input[name=password]").fill("feedback-robin-2")
        edit.locator("#edit-user-submit").click()
        expect(edit).to_have_count(0)
        expect(row).to_contain_text("Robin Rotoscope")

        p2.reload()  # the old session is over
        expect(p2).to_have_url(re.compile(r"/login"))
        login(p2, app_server, "robin@studio.example", "feedback-robin-2")
        expect(p2.locator("#nav-user")).to_be_visible()
    finally:
        other.close()
