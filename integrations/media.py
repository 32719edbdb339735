"""ffmpeg and ffprobe, run as subprocesses (argument lists, never a shell).

The binaries are found on PATH; FEEDBACK_FFMPEG (and FEEDBACK_FFPROBE) point at others.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

FFMPEG_ENV = "FEEDBACK_FFMPEG"
FFPROBE_ENV = "FEEDBACK_FFPROBE"
TIMEOUT_SECONDS = 120

# Fonts tried for burned-in text, first match wins; any other TrueType font is the last resort.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/Arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
)
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
# Characters that survive ffmpeg's filtergraph quoting and drawtext's own expansion unescaped.
_SAFE_TEXT = re.compile(r"[^A-Za-z0-9 _.#/+-]")
_SAFE_FONT_PATH = re.compile(r"^[A-Za-z0-9_./ -]+$")
FRAME_BITS = 16  # the fallback burn-in shows the frame index as 16 binary blocks


class MediaError(RuntimeError):
    """ffmpeg/ffprobe is missing or failed; the message says which and why."""


@dataclass(frozen=True)
class ProbeResult:
    width: int
    height: int
    fps: float
    frame_count: int
    duration: float
    codec: str


def _find(env_var: str, name: str) -> str:
    override = os.environ.get(env_var)
    if override:
        if not (os.path.isfile(override) and os.access(override, os.X_OK)):
            raise MediaError(f"{env_var}={override} is not an executable file.")
        return override
    found = shutil.which(name)
    if found is None:
        raise MediaError(f"{name} not found on PATH; install ffmpeg or set {env_var}.")
    return found


def ffmpeg_path() -> str:
    return _find(FFMPEG_ENV, "ffmpeg")


def ffprobe_path() -> str:
    """FEEDBACK_FFPROBE, else the ffprobe next to FEEDBACK_FFMPEG, else PATH."""
    if not os.environ.get(FFPROBE_ENV) and os.environ.get(FFMPEG_ENV):
        sibling = Path(os.environ[FFMPEG_ENV]).with_name("ffprobe")
        if sibling.is_file() and os.access(sibling, os.X_OK):
            return str(sibling)
    return _find(FFPROBE_ENV, "ffprobe")


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        proc = subprocess.run(
            args, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        raise MediaError(f"{Path(args[0]).name} timed out after {TIMEOUT_SECONDS} s.") from None
    except OSError as exc:
        raise MediaError(f"could not run {args[0]}: {exc}") from None
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise MediaError(f"{Path(args[0]).name} failed (exit {proc.returncode}): {tail}")
    return proc


def _ffmpeg(*args: str) -> None:
    _run([ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args])


@lru_cache(maxsize=4)
def _has_drawtext(ffmpeg: str) -> bool:
    try:
        out = _run([ffmpeg, "-hide_banner", "-filters"]).stdout
    except MediaError:
        return False
    return any(line.split()[1:2] == ["drawtext"] for line in out.splitlines())


@lru_cache(maxsize=1)
def font_file() -> str | None:
    """A TrueType font for drawtext, or None. Paths that would need filtergraph escaping are
    skipped rather than escaped."""
    for candidate in FONT_CANDIDATES:
        if os.path.isfile(candidate):
            return candidate
    for root in FONT_DIRS:
        for path in sorted(Path(root).rglob("*.ttf")) if os.path.isdir(root) else ():
            if _SAFE_FONT_PATH.match(str(path)):
                return str(path)
    return None


def rate(fps: float) -> Fraction:
    """The exact rate ffmpeg should use: 23.976 means 24000/1001, not 2997/125."""
    nominal = round(fps)
    if nominal and abs(fps - nominal * 1000 / 1001) < 0.005:
        return Fraction(nominal * 1000, 1001)
    return Fraction(fps).limit_denominator(1001)


def _text_filters(font: str, label: str, first_frame: int) -> list[str]:
    style = f"fontfile={font}:fontcolor=white:box=1:boxcolor=black@0.65"
    return [
        f"drawtext={style}:boxborderw=8:fontsize=h/16:x=16:y=h-th-24:text='{label}'",
        f"drawtext={style}:boxborderw=10:fontsize=h/7:x=w-tw-24:y=h-th-20"
        f":start_number={first_frame}:text='%{{frame_num}}'",
    ]


def _block_filters() -> list[str]:
    """No drawtext: show the frame index as binary blocks (bit 0 leftmost) on a dark band."""
    band = "drawbox=x=0:y=ih*7/8:w=iw:h=ih/8:color=black:t=fill"
    bits = [
        f"drawbox=x=iw*{i}/{FRAME_BITS}:y=ih*7/8:w=iw/{FRAME_BITS}:h=ih/8:color=white:t=fill"
        f":enable='mod(floor(n/{2**i}),2)'"
        for i in range(FRAME_BITS)
    ]
    return [band, *bits]


def make_test_clip(
    path: str | os.PathLike,
    *,
    frames: int = 48,
    fps: float = 24.0,
    width: int = 640,
    height: int = 360,
    label: str = "",
    first_frame: int = 1001,
) -> Path:
    """Write a small H.264 (yuv420p, +faststart) MP4 with the frame number burned in, counting
    from first_frame, and the label. Without drawtext or a font the frame index is shown as a
    block pattern instead (and the label is left out)."""
    if frames < 1 or width < 16 or height < 16 or fps <= 0:
        raise ValueError("frames >= 1, width/height >= 16 and fps > 0 are required")
    width, height = width - width % 2, height - height % 2  # yuv420p needs even sizes
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    source = f"testsrc2=size={width}x{height}:rate={rate(fps)}"
    # The label picks the hue, so thumbnails of different shots don't all look alike.
    tint = f"hue=h={zlib.crc32(label.encode()) % 360}"
    font = font_file()
    label = _SAFE_TEXT.sub("-", label).strip() or "-"
    attempts = []
    if font and _has_drawtext(ffmpeg_path()):
        attempts.append(_text_filters(font, label, first_frame))
    attempts.append(_block_filters())
    error: MediaError | None = None
    for filters in attempts:
        args = ["-f", "lavfi", "-i", source, "-vf", ",".join([tint, *filters, "format=yuv420p"])]
        args += ["-frames:v", str(frames), "-c:v", "libx264", "-preset", "ultrafast", "-crf", "26"]
        args += ["-g", "12"]  # short GOP: scrubbing in the review player stays snappy
        args += ["-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4"]
        try:
            _write_atomic(out, lambda tmp, args=args: _ffmpeg(*args, str(tmp)))
            return out
        except MediaError as exc:  # e.g. a font drawtext cannot load: try the next recipe
            error = exc
    assert error is not None
    raise error


def _write_atomic(dst: Path, produce) -> None:
    """Let produce(tmp) write a sibling temp file, then rename it over dst."""
    fd, tmp_name = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        produce(tmp)
        if tmp.stat().st_size == 0:
            raise MediaError(f"ffmpeg wrote nothing for {dst.name}.")
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the file from a separate web server
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)


def _fraction(text: str | None) -> float:
    try:
        value = Fraction(text or "0")
    except (ValueError, ZeroDivisionError):
        return 0.0
    return float(value)


def _probe_json(path, *args: str) -> dict:
    base = [ffprobe_path(), "-v", "error", "-select_streams", "v:0", "-of", "json"]
    return json.loads(_run([*base, *args, str(path)]).stdout)


def probe(path: str | os.PathLike) -> ProbeResult:
    """Size, rate, frame count, duration and codec of the first video stream."""
    entries = "codec_name,width,height,avg_frame_rate,r_frame_rate,nb_frames,duration"
    data = _probe_json(path, "-show_entries", f"stream={entries}:format=duration")
    streams = data.get("streams") or []
    if not streams:
        raise MediaError(f"{Path(path).name} has no video stream.")
    s = streams[0]
    fps = _fraction(s.get("avg_frame_rate")) or _fraction(s.get("r_frame_rate"))
    duration = float(s.get("duration") or (data.get("format") or {}).get("duration") or 0.0)
    frames = str(s.get("nb_frames") or "")
    if not frames.isdigit():
        # Some containers don't store a count: count packets (demuxing only, no decoding).
        counted = _probe_json(path, "-count_packets", "-show_entries", "stream=nb_read_packets")
        frames = str((counted.get("streams") or [{}])[0].get("nb_read_packets") or "0")
    return ProbeResult(
        width=int(s.get("width") or 0),
        height=int(s.get("height") or 0),
        fps=fps,
        frame_count=int(frames) if frames.isdigit() else 0,
        duration=duration,
        codec=str(s.get("codec_name") or ""),
    )


def make_thumbnail(
    src: str | os.PathLike, dst: str | os.PathLike, at_seconds: float = 0.0, *, width: int = 480
) -> Path:
    """A JPEG of the frame at at_seconds (the first frame if that is past the end)."""
    out = Path(dst)
    out.parent.mkdir(parents=True, exist_ok=True)
    scale = f"scale={width - width % 2}:-2"
    last_error: MediaError | None = None
    for at in dict.fromkeys((max(0.0, at_seconds), 0.0)):
        args = ["-ss", f"{at:.3f}", "-i", str(src), "-frames:v", "1", "-vf", scale, "-q:v", "4"]
        args += ["-f", "image2", "-c:v", "mjpeg", "-update", "1"]
        try:
            _write_atomic(out, lambda tmp, args=args: _ffmpeg(*args, str(tmp)))
            return out
        except MediaError as exc:
            last_error = exc
    assert last_error is not None
    raise last_error
