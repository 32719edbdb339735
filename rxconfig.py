"""Reflex configuration. Every field can be overridden as REFLEX_<FIELD> in the environment."""

import os
from pathlib import Path

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from services.settings import DATA_DIR, _default_db_url

ROOT = Path(__file__).resolve().parent
_BUN = ROOT / ".tools" / "node_modules" / ".bin" / "bun"

DATA_DIR.mkdir(parents=True, exist_ok=True)

_extra = {}
if _BUN.exists():
    # bun comes from the npm registry (scripts/setup.sh); Reflex's own download needs internet.
    _extra["bun_path"] = _BUN

config = rx.Config(
    app_name="feedback_app",
    app_module_import="feedback_app.app",
    db_url=_default_db_url(),
    telemetry_enabled=False,
    default_color_mode="dark",
    show_built_with_reflex=False,
    frontend_packages=[],
    disable_plugins=[SitemapPlugin],
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(
                appearance="dark", accent_color="iris", gray_color="slate", radius="medium"
            )
        )
    ],
    **_extra,
)

# Keep the generated frontend's caches inside the project.
os.environ.setdefault("BUN_INSTALL_CACHE_DIR", str(ROOT / ".tools" / "bun-cache"))
