"""The bell rings live; the dashboard shows the demo studio's due and overdue work."""

import re

from playwright.sync_api import expect


def _bell_count(page) -> int:
    count = page.locator("#bell-count")
    return int(count.inner_text()) if count.count() else 0


def test_assigning_a_task_rings_the_artists_bell_without_reload(page, app_server, login, browser):
    login(page, app_server, "artist@demo.feedback")
    page.goto("/tasks")
    expect(page.locator("#bell")).to_be_visible()
    page.wait_for_timeout(1000)  # the shell has joined the live channel
    before = _bell_count(page)

    producer_ctx = browser.new_context(base_url=app_server)
    try:
        producer = producer_ctx.new_page()
        login(producer, app_server, "producer@demo.feedback")
        producer.goto("/projects")
        producer.locator(".project-card", has_text="Harbor").click()
        producer.locator("#tab-tasks").click()
        expect(producer.locator(".task-row").first).to_be_visible()
        row = producer.locator(".task-row", has_text="Unassigned").first
        if row.count() == 0:
            row = producer.locator(".task-row", has_text="Blake Artist").first
        row.locator(".artist-select").click()
        producer.get_by_role("option", name="Alex Artist", exact=True).click()
        expect(producer.locator("body")).to_contain_text("Assignment saved")
    finally:
        producer_ctx.close()

    expect(page.locator("#bell-count")).to_have_text(str(before + 1), timeout=5000)
    page.locator("#bell").click()
    first = page.locator(".notification").first
    expect(first).to_contain_text("assigned to you")
    first.click()
    expect(page).to_have_url(re.compile(r"/tasks/\d+"))
    expect(page.locator("#bell-count")).to_have_count(1 if before else 0)


def test_mark_all_read_clears_the_bell(page, app_server, login):
    login(page, app_server, "supervisor@demo.feedback")
    page.locator("#bell").click()
    page.locator("#mark-all-read").click()
    expect(page.locator("#bell-count")).to_have_count(0)


def test_dashboard_shows_overdue_and_due_today_tasks(page, app_server, login):
    login(page, app_server, "producer@demo.feedback")
    page.goto("/")
    due_today = page.locator("#w-due-today")
    overdue = page.locator("#w-overdue")
    expect(due_today.locator(".widget-task").first).to_be_visible()
    expect(due_today.locator(".widget-task").first).to_contain_text("Today")
    expect(overdue.locator(".widget-task").first).to_be_visible()
    expect(overdue.locator(".widget-task").first).to_contain_text(re.compile("overdue|Yesterday"))
    expect(page.locator("#w-uploads .upload-card").first).to_be_visible()
    expect(page.locator("#w-workload .workload-bar").first).to_be_visible()


def test_artist_dashboard_is_their_own(page, app_server, login):
    login(page, app_server, "artist2@demo.feedback")
    page.goto("/")
    expect(page.locator("#w-workload .workload-bar").first).to_contain_text("Blake Artist")
    expect(page.locator("#dashboard-scope")).to_have_count(0)
