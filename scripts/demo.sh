#!/usr/bin/env bash
# Run the FeedBack demo: setup, migrate, seed demo data (first time only), serve on one port.
# README's first command. Idempotent: re-running keeps the existing data.
#   PORT=8080 scripts/demo.sh        (default 3000; frontend and backend share the port)
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$FEEDBACK_ROOT"

PORT="${PORT:-3000}"
HOST_URL="http://localhost:$PORT"

bash scripts/setup.sh

feedback_log "migrating the database"
python -m feedback_app migrate

feedback_log "seeding demo data"
set +e
python -m feedback_app seed-demo
rc=$?
set -e
case $rc in
0) ;;
3) echo "database already has data; keeping it (reset: python -m feedback_app seed-demo --reset)" ;;
*)
    echo "error: seed-demo failed (exit $rc)" >&2
    exit "$rc"
    ;;
esac

# Don't let a stale shell setting change the port, nor two demos fight over one .web/.
unset REFLEX_FRONTEND_PORT REFLEX_BACKEND_PORT
export FEEDBACK_BASE_URL="${FEEDBACK_BASE_URL:-$HOST_URL}"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "error: port $PORT is in use (another demo running?); try PORT=<other> $0" >&2
    exit 1
fi

feedback_log "building and starting the app on port $PORT (prod mode)"
# Own process group, so stopping this script stops the server and its workers.
setsid python -m reflex run --env prod --frontend-port "$PORT" --backend-port "$PORT" </dev/null &
server=$!
stop() {
    trap - INT TERM EXIT
    kill -TERM -- "-$server" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 -- "-$server" 2>/dev/null || exit "${1:-0}"; sleep 0.25; done
    kill -KILL -- "-$server" 2>/dev/null || true
    exit "${1:-0}"
}
trap 'stop 130' INT
trap 'stop 143' TERM
trap 'stop $?' EXIT

for _ in $(seq 1 960); do
    python - "$PORT" <<'PY' && break
import sys, urllib.request
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/ping", timeout=2)
except Exception:
    sys.exit(1)
PY
    kill -0 "$server" 2>/dev/null || {
        echo "error: the server exited during startup" >&2
        wait "$server"
        exit 1
    }
    sleep 0.25
done

# The accounts line comes from the seed's own definition (services/demo_show.py).
accounts="$(python - <<'PY' 2>/dev/null || echo 'Demo accounts: see services/demo_show.py'
from services.demo_show import ACCOUNTS, DEMO_PASSWORD

people = ", ".join(f"{a.email} ({a.role.value.lower()})" for a in ACCOUNTS)
print(f'Demo accounts (password "{DEMO_PASSWORD}"): {people}')
PY
)"
cat <<MSG

  FeedBack is running at $HOST_URL
  $accounts
  Stop with Ctrl-C.

MSG
wait "$server"
