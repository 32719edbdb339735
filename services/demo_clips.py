"""Test clips for the demo seed, made once with ffmpeg (clip, thumbnail, probe) and cached on
disk across seeds and resets: seeding a warm cache starts no ffmpeg at all."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from integrations import media
from services import demo_show as show
from services.settings import DATA_DIR

CLIP_RECIPE = 1  # bump when the clip recipe changes, so cached clips are made again
CLIP_FRAMES = 48
CLIP_SIZE = (640, 360)


def default_clip_cache() -> Path:
    """FEEDBACK_DEMO_CACHE, else <data dir>/cache/demo-clips (kept across resets)."""
    if os.environ.get("FEEDBACK_DEMO_CACHE"):
        return Path(os.environ["FEEDBACK_DEMO_CACHE"])
    return Path(os.environ.get("FEEDBACK_DATA_DIR") or DATA_DIR) / "cache" / "demo-clips"


@dataclass(frozen=True)
class ClipSpec:
    label: str
    fps: float
    first_frame: int
    frames: int = CLIP_FRAMES
    width: int = CLIP_SIZE[0]
    height: int = CLIP_SIZE[1]

    @property
    def stem(self) -> str:
        digest = hashlib.sha1(json.dumps([CLIP_RECIPE, asdict(self)]).encode()).hexdigest()
        return f"{self.label.replace(' ', '_')}-{digest[:10]}"


@dataclass(frozen=True)
class Clip:
    video: Path
    thumbnail: Path
    probe: media.ProbeResult


class ClipCache:
    """Test clips made once (with their thumbnail and probe) and reused by later seeds."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _paths(self, spec: ClipSpec) -> tuple[Path, Path, Path]:
        base = self.root / spec.stem
        return base.with_suffix(".mp4"), base.with_suffix(".jpg"), base.with_suffix(".json")

    def get(self, spec: ClipSpec) -> Clip:
        video, thumb, meta = self._paths(spec)
        if not (video.is_file() and thumb.is_file() and meta.is_file()):
            self._make(spec)
        return Clip(video, thumb, media.ProbeResult(**json.loads(meta.read_text())))

    def ensure(self, specs: list[ClipSpec]) -> None:
        """Make the missing clips, a few ffmpeg processes at a time."""
        missing = [s for s in dict.fromkeys(specs) if not all(p.is_file() for p in self._paths(s))]
        if not missing:
            return
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            list(pool.map(self._make, missing))

    def _make(self, spec: ClipSpec) -> None:
        video, thumb, meta = self._paths(spec)
        media.make_test_clip(
            video,
            frames=spec.frames,
            fps=spec.fps,
            width=spec.width,
            height=spec.height,
            label=spec.label,
            first_frame=spec.first_frame,
        )
        probe = media.probe(video)
        media.make_thumbnail(video, thumb, at_seconds=probe.duration / 2)
        tmp = meta.with_name(f".{meta.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_text(json.dumps(asdict(probe)))
        os.replace(tmp, meta)  # last, so a complete .json means a complete clip


def clip_spec(project: show.ProjectPlan, item: show.ItemPlan, task_type: str, n: int):
    first = 1001 if item.frames else 1  # shots start at 1001; asset turntables at 1
    return ClipSpec(f"{project.code} {item.code} {task_type} v{n:03d}", project.fps, first)


def planned_uploads() -> list[tuple[ClipSpec, show.TaskPlan]]:
    projects_by_code = {p.code: p for p in show.PROJECTS}
    planned = []
    for plan in show.TASKS:
        project = projects_by_code[plan.project]
        item = next(i for i in (*project.shots, *project.assets) if i.code == plan.parent)
        uploads = show.STORIES[plan.story].count("upload")
        for n in range(1, uploads + 1):
            planned.append((clip_spec(project, item, plan.type, n), plan))
    return planned
