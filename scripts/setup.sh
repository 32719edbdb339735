#!/usr/bin/env bash
# Idempotent setup: .venv with requirements.txt, bun (from the npm registry) in .tools/,
# and the system packages the app and its tests use (ffmpeg, chromium).
# Works on a fresh Debian machine that has only Python 3.11+ and pip, as root or not.
# Env: PYTHON (interpreter for the venv, default python3), FEEDBACK_SKIP_APT=1 (never apt-get).
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$FEEDBACK_ROOT"

is_root() { [[ "$(id -u)" == 0 ]]; }
can_apt() { is_root && command -v apt-get >/dev/null && [[ "${FEEDBACK_SKIP_APT:-0}" != 1 ]]; }
APT_UPDATED=0
apt_install() {
    if [[ $APT_UPDATED == 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# --- Python virtualenv -------------------------------------------------------------------
PY="${PYTHON:-python3}"
if [[ ! -x "$FEEDBACK_VENV/bin/python" ]]; then
    "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        echo "error: $PY is $("$PY" -V 2>&1); FeedBack needs Python 3.11+ (set PYTHON=...)" >&2
        exit 1
    }
    feedback_log "creating .venv with $("$PY" -V 2>&1)"
    if ! "$PY" -m venv "$FEEDBACK_VENV" 2>/dev/null; then
        rm -rf "$FEEDBACK_VENV"
        # Debian's python3 lacks ensurepip until python3-venv is installed.
        if can_apt; then
            pyver="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            apt_install "python${pyver}-venv" || apt_install python3-venv
            "$PY" -m venv "$FEEDBACK_VENV"
        else
            feedback_log "python -m venv failed; trying virtualenv from pip"
            "$PY" -m pip install --user --quiet virtualenv
            "$PY" -m virtualenv --quiet "$FEEDBACK_VENV"
        fi
    fi
fi

REQ_STAMP="$FEEDBACK_VENV/.requirements.sha256"
req_hash="$(cat requirements.txt <("$FEEDBACK_VENV/bin/python" -V 2>&1) | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$REQ_STAMP" || "$(cat "$REQ_STAMP")" != "$req_hash" ]]; then
    feedback_log "installing requirements.txt into .venv"
    "$FEEDBACK_VENV/bin/python" -m pip install -qq --upgrade pip
    "$FEEDBACK_VENV/bin/python" -m pip install -qq -r requirements.txt
    echo "$req_hash" >"$REQ_STAMP"
fi

# --- bun (Reflex's frontend package manager), from the npm registry ----------------------
BUN="$FEEDBACK_TOOLS/node_modules/.bin/bun"
if [[ "$("$BUN" --version 2>/dev/null || true)" != "$FEEDBACK_BUN_VERSION" ]]; then
    feedback_log "installing bun@$FEEDBACK_BUN_VERSION into .tools with the venv's npm"
    mkdir -p "$FEEDBACK_TOOLS"
    "$FEEDBACK_VENV/bin/npm" install --prefix "$FEEDBACK_TOOLS" --no-save --no-progress --loglevel=error \
        "bun@$FEEDBACK_BUN_VERSION"
    [[ "$("$BUN" --version)" == "$FEEDBACK_BUN_VERSION" ]] || {
        echo "error: $BUN does not report version $FEEDBACK_BUN_VERSION" >&2
        exit 1
    }
fi
mkdir -p "$REFLEX_DIR" "$BUN_INSTALL_CACHE_DIR"

# --- system packages: ffmpeg (media), chromium (browser tests) ---------------------------
missing=()
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v chromium >/dev/null || [[ -x "${FEEDBACK_CHROMIUM:-/nonexistent}" ]] || missing+=(chromium)
if ((${#missing[@]})); then
    if can_apt; then
        feedback_log "apt-get install ${missing[*]}"
        apt_install "${missing[@]}"
    else
        echo "warning: missing system packages: ${missing[*]}" >&2
        echo "         install them with: sudo apt-get install -y ${missing[*]}" >&2
        echo "         (browser tests need chromium; set FEEDBACK_CHROMIUM to use another build)" >&2
    fi
fi
