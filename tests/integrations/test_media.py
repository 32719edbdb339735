"""ffmpeg helpers, against the real ffmpeg/ffprobe."""

from __future__ import annotations

import shutil
from fractions import Fraction

import pytest

from integrations import media


def test_test_clip_has_the_requested_frames_rate_and_size(tmp_path):
    clip = media.make_test_clip(
        tmp_path / "clip.mp4", frames=30, fps=24, width=320, height=180, label="NF SH010 v001"
    )

    info = media.probe(clip)
    assert (info.frame_count, info.fps, info.width, info.height) == (30, 24.0, 320, 180)
    assert info.codec == "h264"
    assert info.duration == pytest.approx(30 / 24, abs=0.05)


def test_a_23_976_clip_runs_at_24000_over_1001(tmp_path):
    info = media.probe(media.make_test_clip(tmp_path / "ntsc.mp4", frames=24, fps=23.976))

    assert info.frame_count == 24
    assert info.fps == pytest.approx(24000 / 1001, abs=1e-6)


def test_without_a_font_the_clip_is_still_made(tmp_path, monkeypatch):
    monkeypatch.setattr(media, "font_file", lambda: None)

    info = media.probe(media.make_test_clip(tmp_path / "plain.mp4", frames=12, fps=25))

    assert (info.frame_count, info.fps) == (12, 25.0)


def test_clips_are_h264_yuv420p_with_the_index_up_front(tmp_path):
    clip = media.make_test_clip(tmp_path / "web.mp4", frames=6, fps=24, width=160, height=90)

    data = clip.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # +faststart: plays before it has loaded
    out = media._run(
        [media.ffprobe_path(), "-v", "error", "-show_entries", "stream=pix_fmt", "-of", "csv=p=0"]
        + [str(clip)]
    )
    assert out.stdout.strip() == "yuv420p"


def test_thumbnail_is_a_jpeg_of_the_requested_width(tmp_path):
    clip = media.make_test_clip(tmp_path / "c.mp4", frames=24, fps=24, width=640, height=360)

    thumb = media.make_thumbnail(clip, tmp_path / "thumbs" / "c.jpg", at_seconds=0.5, width=320)

    assert thumb.read_bytes()[:3] == b"\xff\xd8\xff"
    info = media.probe(thumb)
    assert (info.width, info.height, info.codec) == (320, 180, "mjpeg")


def test_thumbnail_past_the_end_falls_back_to_the_first_frame(tmp_path):
    clip = media.make_test_clip(tmp_path / "c.mp4", frames=12, fps=24, width=160, height=90)

    thumb = media.make_thumbnail(clip, tmp_path / "late.jpg", at_seconds=60)

    assert thumb.stat().st_size > 0


def test_probe_of_a_file_that_is_not_media_raises_media_error(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a video")

    with pytest.raises(media.MediaError):
        media.probe(junk)


def test_ffmpeg_location_can_be_overridden(monkeypatch):
    real = shutil.which("ffmpeg")
    monkeypatch.setenv("FEEDBACK_FFMPEG", real)
    assert media.ffmpeg_path() == real

    monkeypatch.setenv("FEEDBACK_FFMPEG", "/nonexistent/ffmpeg")
    with pytest.raises(media.MediaError, match="FEEDBACK_FFMPEG"):
        media.ffmpeg_path()


@pytest.mark.parametrize(
    ("fps", "expected"),
    [
        (24, Fraction(24)),
        (25.0, Fraction(25)),
        (23.976, Fraction(24000, 1001)),
        (29.97, Fraction(30000, 1001)),
        (59.94, Fraction(60000, 1001)),
        (12.5, Fraction(25, 2)),
    ],
)
def test_rates_are_exact_fractions(fps, expected):
    assert media.rate(fps) == expected
