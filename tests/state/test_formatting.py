"""Due-date labels and tones: red when past and not done, amber within 48 h."""

from datetime import date, datetime, timedelta

from services.overview import ItemOverview
from state.formatting import due_label, due_tone
from state.rows import item_row

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
