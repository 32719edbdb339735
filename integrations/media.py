"""ffmpeg and ffprobe, run as subprocesses (argument lists, never a shell).

The binaries are found on PATH; FEEDBACK_FFMPEG (and FEEDBACK_FFPROBE) point at others.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import zlib
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

FFMPEG_ENV = "FEEDBACK_FFMPEG"
FFPROBE_ENV = "FEEDBACK_FFPROBE"
TIMEOUT_SECONDS = 120
PROXY_TIMEOUT_SECONDS = 7200  # a long ProRes master takes a while to transcode

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
    pix_fmt: str = ""
    format_name: str = ""  # ffprobe's demuxer, e.g. "mov,mp4,m4a,3gp,3g2,mj2"


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


class MediaCancelled(MediaError):
    """A background job was stopped by stop_background() (the app is shutting down)."""


_background: set[subprocess.Popen] = set()
_cancelled: set[subprocess.Popen] = set()
_background_lock = threading.Lock()


def _run(
    args: list[str],
    timeout: float = TIMEOUT_SECONDS,
    *,
    name: str | None = None,
    background: bool = False,
) -> subprocess.CompletedProcess[str]:
    name = name or Path(args[0]).name
    try:
        proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
    except OSError as exc:
        raise MediaError(f"could not run {args[0]}: {exc}") from None
    if background:
        with _background_lock:
            _background.add(proc)
    cancelled = False
    try:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise MediaError(f"{name} timed out after {timeout:g} s.") from None
    finally:
        if background:
            with _background_lock:
                _background.discard(proc)
                cancelled = proc in _cancelled
                _cancelled.discard(proc)
    if cancelled:
        raise MediaCancelled(f"{name} was stopped.")
    if proc.returncode != 0:
        tail = "\n".join(err.strip().splitlines()[-5:])
        raise MediaError(f"{name} failed (exit {proc.returncode}): {tail}")
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def stop_background() -> int:
    """Stop every running background job (proxies); each raises MediaCancelled in its caller.
    Returns how many were stopped."""
    with _background_lock:
        running = list(_background)
        _cancelled.update(running)
    for proc in running:
        with contextlib.suppress(OSError):
            proc.terminate()
    return len(running)


def _ffmpeg(*args: str, timeout: float = TIMEOUT_SECONDS, background: bool = False) -> None:
    ffmpeg = ffmpeg_path()
    cmd = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
    nice = shutil.which("nice") if background else None
    # A background transcode yields the CPU to the web server and to people's requests.
    cmd = [nice, "-n", "10", *cmd] if nice else cmd
    _run(cmd, timeout=timeout, name=Path(ffmpeg).name, background=background)


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
    entries = "codec_name,pix_fmt,width,height,avg_frame_rate,r_frame_rate,nb_frames,duration"
    data = _probe_json(path, "-show_entries", f"stream={entries}:format=duration,format_name")
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
        pix_fmt=str(s.get("pix_fmt") or ""),
        format_name=str((data.get("format") or {}).get("format_name") or ""),
    )


def make_thumbnail(
    src: str | os.PathLike, dst: str | os.PathLike, at_seconds: float = 0.0, *, width: int = 480
) -> Path:
    """A JPEG of the frame at at_seconds (the first frame if that is past the end)."""
    return _frame_jpeg(src, dst, at_seconds, f"scale={width - width % 2}:-2")


def make_poster(src: str | os.PathLike, dst: str | os.PathLike, *, max_width: int = 1920) -> Path:
    """A JPEG of the first frame, what the player shows before playing: full size up to
    max_width (never enlarged)."""
    return _frame_jpeg(src, dst, 0.0, _fit_width(max_width))


def _fit_width(max_width: int) -> str:
    """Scale down to max_width at most, keeping the aspect ratio and even sizes (yuv420p)."""
    return f"scale=w='trunc(min({max_width - max_width % 2},iw)/2)*2':h=-2"


def _frame_jpeg(src, dst, at_seconds: float, scale: str) -> Path:
    out = Path(dst)
    out.parent.mkdir(parents=True, exist_ok=True)
    last_error: MediaError | None = None
    for at in dict.fromkeys((max(0.0, at_seconds), 0.0)):
        seek = ["-ss", f"{at:.3f}"] if at > 0 else []  # "-ss 0" yields nothing from a still
        args = [*seek, "-i", str(src), "-frames:v", "1", "-vf", scale, "-q:v", "4"]
        args += ["-f", "image2", "-c:v", "mjpeg", "-update", "1"]
        try:
            _write_atomic(out, lambda tmp, args=args: _ffmpeg(*args, str(tmp)))
            return out
        except MediaError as exc:
            last_error = exc
    assert last_error is not None
    raise last_error


# What a browser's <video> plays without help: (container extensions, codecs, pixel formats).
_BROWSER_PLAYABLE = (
    ({"mp4", "m4v", "mov"}, {"h264"}, {"yuv420p", "yuvj420p"}),
    ({"webm"}, {"vp8", "vp9", "av1"}, {"yuv420p"}),
)


def is_browser_playable(probe_result: ProbeResult, ext: str) -> bool:
    """True when the original plays in every current browser as is: H.264 4:2:0 8-bit in
    MP4/MOV, or VP8/VP9/AV1 4:2:0 in WebM. ProRes, DNxHD, 10-bit or 4:2:2 H.264, anything in
    MKV: not playable, a proxy is made."""
    ext = ext.lower().lstrip(".")
    return any(
        ext in exts and probe_result.codec in codecs and probe_result.pix_fmt in pix_fmts
        for exts, codecs, pix_fmts in _BROWSER_PLAYABLE
    )


def make_proxy(
    src: str | os.PathLike,
    dst: str | os.PathLike,
    *,
    max_width: int = 1920,
    crf: int = 20,
    timeout: float = PROXY_TIMEOUT_SECONDS,
) -> Path:
    """A browser-playable review proxy: H.264 High, yuv420p, +faststart MP4, AAC audio when the
    source has any. Every source frame is kept (no rate conversion), so frame n of the proxy is
    frame n of the original; a short GOP keeps frame stepping and seeking quick. Metadata
    (tool names, paths, comments) is dropped: clients may receive this file."""
    out = Path(dst)
    out.parent.mkdir(parents=True, exist_ok=True)
    args = ["-i", str(src), "-map", "0:v:0", "-map", "0:a:0?", "-map_metadata", "-1"]
    args += ["-map_chapters", "-1", "-vf", f"{_fit_width(max_width)},format=yuv420p"]
    args += ["-fps_mode", "passthrough", "-c:v", "libx264", "-preset", "veryfast"]
    args += ["-crf", str(crf), "-profile:v", "high", "-pix_fmt", "yuv420p", "-g", "12"]
    args += ["-c:a", "aac", "-b:a", "192k", "-ac", "2"]
    args += ["-movflags", "+faststart", "-f", "mp4"]
    _write_atomic(out, lambda tmp: _ffmpeg(*args, str(tmp), timeout=timeout, background=True))
    return out
