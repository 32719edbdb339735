"""What producers and artists do on the production pages, in a real browser."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect


def _open_project(page, name="Nightfall"):
    page.goto("/projects")
    page.locator(".project-card", has_text=name).click()
    expect(page).to_have_url(re.compile(r"/projects/\d+"))


def _pick(page, trigger, option):
    trigger.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_producer_quick_adds_comp_and_assigns_it_and_the_artist_sees_it(
    page, app_server, login, browser
):
    login(page, app_server, "producer@demo.feedback")
    _open_project(page)
    # a new shot, then one click for its Comp task
    page.locator("#new-shot").click()
    dialog = page.locator("#item-dialog")
    dialog.locator("input[name=code]").fill("SH095")
    dialog.locator("input[name=name]").fill("Quick add check")
    dialog.locator("input[name=frame_in]").fill("1001")
    dialog.locator("input[name=frame_out]").press("Enter")  # Enter submits the dialog
    expect(dialog).to_have_count(0)
    row = page.locator(".shot-row", has_text="SH095")
    expect(row).to_be_visible()
    row.locator(".quick-add[data-type=COMP]").click()
    chip = row.locator(".task-chip", has_text="Comp")
    expect(chip).to_be_visible()
    expect(row.locator(".quick-add[data-type=COMP]")).to_have_count(0)

    # open the task, assign artist@, due in two days
    chip.click()
    expect(page).to_have_url(re.compile(r"/tasks/\d+"))
    task_url = page.url
    _pick(page, page.locator("#task-artist-select"), "Alex Artist")
    expect(page.locator("#task-artist-select")).to_have_text("Alex Artist")
    due = (date.today() + timedelta(days=(6 - date.today().weekday()) // 2)).isoformat()
    page.locator("#task-due-input").fill(due)
    page.locator("#task-due-input").blur()
    expect(page.locator("body")).to_contain_text("Due date saved")

    other = browser.new_context(base_url=app_server)
    try:
        artist = other.new_page()
        login(artist, app_server, "artist@demo.feedback")
        artist.goto("/tasks")
        mine = artist.locator(".task-row", has_text="SH095")
        expect(mine).to_have_count(1)
        artist.locator("#view-week").click()
        expect(artist.locator(".task-row", has_text="SH095")).to_have_count(1)
        artist.goto(task_url)
        expect(artist.locator("#breadcrumb")).to_contain_text("SH095")
    finally:
        other.close()


def test_bulk_status_change_on_three_selected_rows(page, app_server, login):
    login(page, app_server, "producer@demo.feedback")
    _open_project(page, "Harbor")
    page.locator("#tab-tasks").click()
    _pick(page, page.locator("#filter-status"), "Todo")
    rows = page.locator(".task-row")
    expect(rows.first).to_be_visible()
    ids = [rows.nth(i).get_attribute("data-task") for i in range(3)]
    for i in range(3):
        rows.nth(i).locator(".task-select").click()
    expect(page.locator("#selected-count")).to_have_text("3 selected")
    page.locator("#bulk-status").click()
    page.locator(".bulk-IN_PROGRESS").click()
    expect(page.locator("body")).to_contain_text("3 task(s) moved")
    _pick(page, page.locator("#filter-status"), "In Progress")
    for task_id in ids:
        expect(page.locator(f".task-row[data-task='{task_id}']")).to_have_attribute(
            "data-status", "IN_PROGRESS"
        )
    page.reload()
    page.locator("#tab-tasks").click()
    for task_id in ids:
        expect(page.locator(f".task-row[data-task='{task_id}']")).to_have_attribute(
            "data-status", "IN_PROGRESS"
        )


def test_csv_with_one_bad_row_reports_it_and_writes_nothing(page, app_server, login, tmp_path):
    login(page, app_server, "producer@demo.feedback")
    _open_project(page, "Harbor")
    # Count once the tab has its rows: counting at once read 0 under CI load.
    expect(page.locator(".shot-row").first).to_be_visible()
    before = page.locator(".shot-row").count()
    assert before > 0
    csv_file = tmp_path / "shots.csv"
    csv_file.write_text(
        "code,name,frame_in,frame_out,due_date\n"
        "SH500,Pier,1001,1050,2027-01-10\n"
        "SH510,Crane,1001,990,2027-01-11\n"
        "SH520,Gulls,1001,1040,2027-01-12\n"
    )
    page.locator("#import-csv").click()
    page.locator("#csv-upload input[type=file]").set_input_files(str(csv_file))
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("Line 3")
    expect(problems).to_contain_text("Frame out must not be before frame in")
    expect(page.locator(".import-row-bad")).to_have_count(1)
    expect(page.locator("#import-run")).to_be_disabled()
    page.keyboard.press("Escape")
    page.reload()
    expect(page.locator(".shot-row")).to_have_count(before)
    expect(page.locator(".shot-row", has_text="SH500")).to_have_count(0)


def test_csv_import_of_valid_rows_adds_every_shot(page, app_server, login):
    login(page, app_server, "producer@demo.feedback")
    _open_project(page, "Harbor")
    page.locator("#import-csv").click()
    page.locator("#csv-text").fill("code;name\nSH600;Harbor mouth\nSH610;Lighthouse\n")
    page.locator("#import-preview").click()
    expect(page.locator(".import-row")).to_have_count(2)
    page.locator("#import-run").click()
    expect(page.locator(".shot-row", has_text="SH600")).to_be_visible()
    expect(page.locator(".shot-row", has_text="SH610")).to_be_visible()


def test_artist_is_refused_another_artists_task(page, app_server, login, browser):
    login(page, app_server, "producer@demo.feedback")
    _open_project(page)
    page.locator("#tab-tasks").click()
    _pick(page, page.locator("#filter-artist"), "Blake Artist")
    task_id = page.locator(".task-row").first.get_attribute("data-task")

    other = browser.new_context(base_url=app_server)
    try:
        artist = other.new_page()
        login(artist, app_server, "artist@demo.feedback")
        artist.goto(f"/tasks/{task_id}")
        expect(artist.locator("body")).to_contain_text("not assigned to you")
        expect(artist).not_to_have_url(re.compile(rf"/tasks/{task_id}$"))
    finally:
        other.close()


def test_slash_focuses_search_and_filters(page, app_server, login):
    login(page, app_server, "producer@demo.feedback")
    _open_project(page)
    page.locator("#tab-tasks").click()
    # The tab's rows first: a "/" pressed before the tab has rendered finds no search box.
    expect(page.locator(".task-row").first).to_be_visible()
    page.locator("body").press("/")
    expect(page.locator("#search")).to_be_focused()
    page.keyboard.type("SH040")
    rows = page.locator(".task-row")
    expect(rows.filter(has_not_text="SH040")).to_have_count(0)
    expect(rows.filter(has_text="SH040").first).to_be_visible()


def test_template_applied_to_two_shots_skips_types_they_have(page, app_server, login):
    login(page, app_server, "supervisor@demo.feedback")
    _open_project(page, "Harbor")
    for code in ("SH700", "SH710"):
        page.locator("#new-shot").click()
        page.locator("#item-dialog input[name=code]").fill(code)
        page.locator("#item-dialog-submit").click()
        expect(page.locator(".shot-row", has_text=code)).to_be_visible()
    page.locator(".shot-row", has_text="SH710").locator(".quick-add[data-type=ROTO]").click()
    expect(page.locator(".shot-row", has_text="SH710").locator(".task-chip")).to_have_count(1)

    page.locator("#new-template").click()
    dialog = page.locator("#template-dialog")
    dialog.locator("input[name=name]").fill("Roto and paint")
    dialog.get_by_role("checkbox", name="Roto").click()
    dialog.get_by_role("checkbox", name="Comp").click()
    dialog.locator("#template-dialog-submit").click()
    expect(dialog).to_have_count(0)

    for code in ("SH700", "SH710"):
        page.locator(".shot-row", has_text=code).locator(".shot-select").click()
    page.locator("#apply-template").click()
    page.get_by_role("menuitem", name="Roto and paint").click()
    expect(page.locator("body")).to_contain_text("3 task(s) created on 2 shot(s)")
    sh700 = page.locator(".shot-row", has_text="SH700").locator(".task-chip")
    sh710 = page.locator(".shot-row", has_text="SH710").locator(".task-chip")
    expect(sh700).to_have_count(2)
    expect(sh710).to_have_count(2)  # its Roto was kept, only Comp added


def test_producer_edits_a_shot_and_a_bad_range_is_refused(page, app_server, login):
    login(page, app_server, "producer@demo.feedback")
    _open_project(page, "Harbor")
    page.locator("#new-shot").click()
    page.locator("#item-dialog input[name=code]").fill("SH800")
    page.locator("#item-dialog-submit").click()
    page.locator(".shot-row", has_text="SH800").locator(".shot-link").click()
    expect(page).to_have_url(re.compile(r"/shots/\d+"))
    page.locator("#edit-item").click()
    dialog = page.locator("#edit-item-dialog")
    dialog.locator("input[name=name]").fill("Night harbour wide")
    dialog.locator("input[name=frame_in]").fill("1100")
    dialog.locator("input[name=frame_out]").fill("1001")
    dialog.locator("#edit-item-dialog-submit").click()
    expect(dialog).to_contain_text("Frame out must not be before frame in")
    dialog.locator("input[name=frame_out]").fill("1180")
    dialog.locator("#edit-item-dialog-submit").click()
    expect(dialog).to_have_count(0)
    expect(page.locator("#page-title")).to_contain_text("Night harbour wide")
    page.reload()
    expect(page.locator("body")).to_contain_text("1100–1180")
