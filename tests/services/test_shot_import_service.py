from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from models import Activity, Shot
from services import shot_import
from services.errors import PermissionDenied, ValidationError
from tests.factories import make_project, make_shot

GOOD = (
    "code,name,description,frame_in,frame_out,due_date\n"
    "sh010,Opening,wide establishing,1001,1100,2026-12-31\n"
    "SH020,Hero,,1001,1050,\n"
)


def shots_of(uow, project_id) -> dict[str, Shot]:
    with uow() as s:
        return {
            shot.code: shot
            for shot in s.exec(select(Shot).where(Shot.project_id == project_id)).all()
        }


def run_preview(uow, prod, text, actor=None):
    with uow() as s:
        return shot_import.preview(
            s, actor=actor or prod.producer, project_id=prod.project.id, text=text
        )


def run_import(uow, prod, text, actor=None) -> int:
    with uow() as s:
        return shot_import.import_shots(
            s, actor=actor or prod.producer, project_id=prod.project.id, text=text
        )


# ---------------------------------------------------------------- a good file


def test_import_writes_every_row_with_its_fields(uow, prod):
    assert run_import(uow, prod, GOOD) == 2
    shots = shots_of(uow, prod.project.id)
    opening, hero = shots["SH010"], shots["SH020"]
    assert (opening.name, opening.description, opening.frame_in, opening.frame_out) == (
        "Opening",
        "wide establishing",
        1001,
        1100,
    )
    assert opening.due_date == date(2026, 12, 31)
    assert (hero.name, hero.description, hero.due_date) == ("Hero", "", None)
    assert set(shots) == {prod.shot.code, "SH010", "SH020"}


def test_imported_shots_are_recorded_in_the_activity_feed(uow, prod):
    run_import(uow, prod, GOOD)
    with uow() as s:
        texts = set(s.exec(select(Activity.text).where(Activity.verb == "shot.created")).all())
    assert {f"{prod.producer.name} added shot SH010", f"{prod.producer.name} added shot SH020"} <= (
        texts
    )


def test_preview_of_a_good_file_is_ok_and_writes_nothing(uow, prod):
    result = run_preview(uow, prod, GOOD)
    assert result.ok and result.bad_rows == () and result.file_errors == ()
    assert [(r.line, r.code, r.name, r.frame_in, r.due_date) for r in result.rows] == [
        (2, "SH010", "Opening", "1001", "2026-12-31"),
        (3, "SH020", "Hero", "1001", ""),
    ]
    assert set(shots_of(uow, prod.project.id)) == {prod.shot.code}


def test_only_the_code_column_is_required(uow, prod):
    assert run_import(uow, prod, "code\nSH100\nSH200\n") == 2
    assert {"SH100", "SH200"} <= set(shots_of(uow, prod.project.id))


def test_header_names_are_case_and_space_insensitive_in_any_order(uow, prod):
    text = "Due Date,Frame Out,CODE,Frame In\n2027-01-15,1040,SH300,1001\n"
    run_import(uow, prod, text)
    shot = shots_of(uow, prod.project.id)["SH300"]
    assert (shot.frame_in, shot.frame_out, shot.due_date) == (1001, 1040, date(2027, 1, 15))


@pytest.mark.parametrize(
    "text",
    [
        "code;name;description\nSH010;Opening;wide, slow push\nSH020;Hero;close\n",
        "code\tname\tdescription\nSH010\tOpening\twide, slow push\nSH020\tHero\tclose\n",
        'code,name,description\r\nSH010,Opening,"wide, slow push"\r\nSH020,Hero,close\r\n',
    ],
    ids=["semicolon", "tab", "comma-crlf-quoted"],
)
def test_semicolon_tab_and_comma_files_are_read_alike(uow, prod, text):
    assert run_import(uow, prod, text) == 2
    shots = shots_of(uow, prod.project.id)
    assert (shots["SH010"].name, shots["SH010"].description) == ("Opening", "wide, slow push")
    assert shots["SH020"].name == "Hero"


def test_a_byte_order_mark_does_not_hide_the_code_column(uow, prod):
    assert run_import(uow, prod, "\ufeffcode,name\nSH010,Opening\n") == 1
    assert shots_of(uow, prod.project.id)["SH010"].name == "Opening"


def test_blank_lines_are_skipped_and_line_numbers_stay_true(uow, prod):
    result = run_preview(uow, prod, "code,frame_in\n\nSH010,1001\n,\nSH020,soon\n")
    assert [(r.line, r.code) for r in result.rows] == [(3, "SH010"), (5, "SH020")]
    assert [(r.line, r.errors) for r in result.bad_rows] == [
        (5, ("Frame in must be a whole number.",))
    ]


def test_line_numbers_count_lines_of_the_file_not_records(uow, prod):
    # a spreadsheet cell with a line break is quoted over two lines of the file
    text = 'code,description,frame_in\nSH010,"two\nlines",1001\nSH020,,x\n'
    result = run_preview(uow, prod, text)
    assert [r.line for r in result.rows] == [2, 4]
    assert result.rows[0].description == "two\nlines"
    assert [r.line for r in result.bad_rows] == [4]


# ---------------------------------------------------------------- all or nothing


def test_one_bad_row_writes_nothing_and_reports_its_line_and_reason(uow, prod):
    text = "code,frame_in\nSH010,1001\nSH020,soon\nSH030,1001\n"
    with pytest.raises(ValidationError) as err:
        run_import(uow, prod, text)
    assert str(err.value) == "Nothing was imported. line 3: Frame in must be a whole number."
    assert set(shots_of(uow, prod.project.id)) == {prod.shot.code}


def test_preview_flags_each_bad_row_with_every_reason(uow, prod):
    text = (
        "code,name,frame_in,frame_out,due_date\n"
        "SH010,Opening,1001,1100,2026-12-31\n"
        "SH020,Bad,1100,1001,next week\n"
        "has space,,-5,,\n"
        f"SH040,{'x' * 201},,,\n"
    )
    result = run_preview(uow, prod, text)
    assert not result.ok
    assert [(r.line, r.errors) for r in result.bad_rows] == [
        (
            3,
            (
                "Frame out must not be before frame in.",
                "Due date must be a date like 2026-12-31.",
            ),
        ),
        (
            4,
            (
                "Shot code must be 1–64 characters without spaces.",
                "Frame in must be at least 0.",
            ),
        ),
        (5, ("Name must be at most 200 characters.",)),
    ]
    assert result.rows[0].errors == ()


def test_import_reports_at_most_five_problems(uow, prod):
    text = "code,frame_in\n" + "".join(f"SH{i:03d},x\n" for i in range(8))
    with pytest.raises(ValidationError) as err:
        run_import(uow, prod, text)
    message = str(err.value)
    assert message.count("Frame in must be a whole number.") == 5
    assert "line 2:" in message and "line 6:" in message and "line 7:" not in message


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1001.5", "Frame in must be a whole number."),
        ("-1", "Frame in must be at least 0."),
        ("ten", "Frame in must be a whole number."),
    ],
)
def test_bad_frame_numbers_are_refused(uow, prod, value, reason):
    result = run_preview(uow, prod, f"code,frame_in\nSH010,{value}\n")
    assert [(r.line, r.errors) for r in result.bad_rows] == [(2, (reason,))]


def test_a_single_frame_shot_is_a_good_range(uow, prod):
    assert run_import(uow, prod, "code,frame_in,frame_out\nSH010,1001,1001\n") == 1


@pytest.mark.parametrize("value", ["31/12/2026", "2026-13-01", "tomorrow"])
def test_bad_due_dates_are_refused(uow, prod, value):
    result = run_preview(uow, prod, f"code,due_date\nSH010,{value}\n")
    assert [r.errors for r in result.bad_rows] == [("Due date must be a date like 2026-12-31.",)]


# ---------------------------------------------------------------- duplicates


def test_a_code_twice_in_the_file_is_flagged_on_the_second_line(uow, prod):
    result = run_preview(uow, prod, "code\nSH010\nSH020\nsh010\n")
    assert [(r.line, r.errors) for r in result.bad_rows] == [
        (4, ("Shot SH010 is also on line 2.",))
    ]
    with pytest.raises(ValidationError, match="line 4: Shot SH010 is also on line 2."):
        run_import(uow, prod, "code\nSH010\nSH020\nsh010\n")
    assert set(shots_of(uow, prod.project.id)) == {prod.shot.code}


def test_a_code_that_already_exists_in_the_project_is_flagged(uow, prod):
    result = run_preview(uow, prod, f"code\nSH900\n{prod.shot.code.lower()}\n")
    assert [(r.line, r.errors) for r in result.bad_rows] == [
        (3, (f"Shot {prod.shot.code} already exists in this project.",))
    ]
    with pytest.raises(ValidationError):
        run_import(uow, prod, f"code\nSH900\n{prod.shot.code}\n")
    assert "SH900" not in shots_of(uow, prod.project.id)


def test_the_same_code_in_another_project_is_no_clash(uow, prod):
    with uow() as s:
        other = make_project(s, prod.producer)
        make_shot(s, prod.producer, other.id, code="SH010")
    assert run_import(uow, prod, "code\nSH010\n") == 1


def test_a_second_import_of_the_same_file_is_refused_whole(uow, prod):
    run_import(uow, prod, GOOD)
    with pytest.raises(ValidationError) as err:
        run_import(uow, prod, GOOD)
    assert str(err.value) == (
        "Nothing was imported. line 2: Shot SH010 already exists in this project. "
        "line 3: Shot SH020 already exists in this project."
    )


# ---------------------------------------------------------------- file problems


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "The file is empty."),
        ("\ufeff", "The file is empty."),
        ("code,name\n", "The file has a header but no shots."),
        ("code,name\n\n,\n", "The file has a header but no shots."),
        ("name,frame_in\nOpening,1001\n", "The header row needs a 'code' column (e.g. SH010)."),
    ],
    ids=["empty", "bom-only", "header-only", "blank-rows-only", "no-code-column"],
)
def test_file_problems_are_reported_before_any_row(uow, prod, text, error):
    result = run_preview(uow, prod, text)
    assert (result.ok, result.file_errors, result.rows) == (False, (error,), ())
    with pytest.raises(ValidationError) as err:
        run_import(uow, prod, text)
    assert str(err.value) == f"Nothing was imported. {error}"


def test_unknown_columns_refuse_the_file_but_rows_are_still_checked(uow, prod):
    text = "code,name,lens,Notes\nSH010,Opening,35mm,\nSH010,Again,50mm,\n"
    result = run_preview(uow, prod, text)
    assert result.file_errors == ("Unknown column 'lens'.", "Unknown column 'notes'.")
    assert [r.line for r in result.bad_rows] == [3]
    with pytest.raises(ValidationError, match="Unknown column 'lens'."):
        run_import(uow, prod, text)
    assert "SH010" not in shots_of(uow, prod.project.id)


def test_a_file_over_the_size_limit_is_refused(uow, prod):
    text = "code,description\n" + "SH010," + "x" * shot_import.MAX_BYTES + "\n"
    result = run_preview(uow, prod, text)
    assert result.file_errors == ("The file is larger than 1 MB.",)


def test_a_file_over_the_row_limit_is_refused(uow, prod, monkeypatch):
    monkeypatch.setattr(shot_import, "MAX_ROWS", 3)
    text = "code\n" + "".join(f"SH{i:03d}\n" for i in range(10))
    result = run_preview(uow, prod, text)
    assert result.file_errors == ("At most 3 shots per import.",)
    with pytest.raises(ValidationError, match="At most 3 shots per import."):
        run_import(uow, prod, text)
    assert set(shots_of(uow, prod.project.id)) == {prod.shot.code}


# ---------------------------------------------------------------- permission


@pytest.mark.parametrize("who", ["admin", "producer", "supervisor"])
def test_staff_import_shots(uow, prod, who):
    assert run_import(uow, prod, "code\nSH777\n", actor=getattr(prod, who)) == 1


@pytest.mark.parametrize("who", ["artist", "other_artist", "client"])
def test_artists_and_clients_can_neither_preview_nor_import(uow, prod, who):
    actor = getattr(prod, who)
    with pytest.raises(PermissionDenied):
        run_preview(uow, prod, GOOD, actor=actor)
    with pytest.raises(PermissionDenied):
        run_import(uow, prod, GOOD, actor=actor)
    assert set(shots_of(uow, prod.project.id)) == {prod.shot.code}
