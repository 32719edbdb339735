"""Due-date labels and tones: red when past and not done, amber within 48 h."""

from datetime import UTC, date, datetime, timedelta

from services.overview import ItemOverview
from state.formatting import date_label, due_label, due_tone, role_label, type_label, when
from state.rows import frames_label, item_row

TODAY = date(2026, 11, 26)
NOON = datetime(2026, 11, 26, 12, 0)


def test_past_due_open_task_is_overdue():
    assert due_tone(date(2026, 11, 25), done=False, now=NOON) == "overdue"
    assert due_label(date(2026, 11, 23), TODAY) == "3d overdue"


def test_past_due_done_task_is_not_flagged():
    assert due_tone(date(2026, 11, 20), done=True, now=NOON) == "ok"
    assert due_label(date(2026, 11, 20), TODAY, done=True) == "Nov 20"


def test_due_today_and_tomorrow_are_amber():
    assert due_tone(TODAY, done=False, now=NOON) == "soon"
    assert due_tone(date(2026, 11, 27), done=False, now=NOON) == "soon"
    assert due_label(TODAY, TODAY) == "Today"
    assert due_label(date(2026, 11, 27), TODAY) == "Tomorrow"


def test_due_in_three_days_is_plain():
    assert due_tone(date(2026, 11, 29), done=False, now=NOON) == "ok"
    assert due_label(date(2026, 11, 29), TODAY) == "Nov 29"


def test_no_due_date_has_no_label_or_tone():
    assert due_label(None) == ""
    assert due_tone(None, done=False) == ""


def test_other_year_shows_the_year():
    assert due_label(date(2027, 1, 5), TODAY) == "Jan 05 2027"


def _shot(status: str = "IN_PROGRESS", *, open_task: bool) -> ItemOverview:
    return ItemOverview(
        id=1,
        code="SH010",
        name="",
        status=status,
        frame_in=None,
        frame_out=None,
        due_date=date.today() - timedelta(days=2),
        lead_name=None,
        chips=(),
        has_open_task=open_task,
    )


def test_a_late_shot_with_open_work_is_overdue():
    row = item_row(_shot(open_task=True), ())
    assert (row.due, row.due_tone) == ("2d overdue", "overdue")


def test_a_shot_whose_tasks_are_all_done_is_never_overdue():
    """SH010 with every task Done showed "2d overdue" in red on the Shots tab."""
    for shot in (_shot(open_task=False), _shot("FINAL", open_task=True)):
        row = item_row(shot, ())
        assert row.due_tone == "ok"
        assert "overdue" not in row.due


def test_one_date_format_across_the_pages():
    assert date_label(date(2026, 11, 28), TODAY) == "Nov 28"
    assert date_label(datetime(2026, 11, 28, 23, 0), TODAY) == "Nov 28"
    assert date_label(date(2027, 1, 5), TODAY) == "Jan 05 2027"
    assert date_label(None) == ""
    # the due label and "when" fall back to it
    assert due_label(date(2026, 12, 26), TODAY) == date_label(date(2026, 12, 26), TODAY)
    assert when(datetime(2025, 3, 1, 9, 0, tzinfo=UTC)) == "Mar 01 2025"


def test_roles_and_task_types_read_as_people_write_them():
    assert role_label("ADMIN") == "Admin"
    assert role_label("SUPERVISOR") == "Supervisor"
    assert type_label("FX") == "FX"
    assert type_label("COMP") == "Comp"
    assert type_label("LOOKDEV") == "Lookdev"


def test_a_shot_without_a_last_frame_says_where_it_starts():
    assert frames_label(1001, 1096) == "1001–1096"
    assert frames_label(1001, None) == "from 1001"
    assert frames_label(None, None) == ""
