#!/usr/bin/env bash
# Lint + the whole test suite. README's second command.
#   scripts/test.sh                 ruff, pytest tests/ on SQLite, then the DB tests on PostgreSQL
#   scripts/test.sh tests/services  extra args replace `tests` in the SQLite pass
# PostgreSQL pass: FEEDBACK_TEST_PG_URL, or postgresql+psycopg://postgres@127.0.0.1:5432/test when
# that answers. It re-runs $FEEDBACK_PG_TEST_PATHS (default: tests/services tests/integrations)
# with FEEDBACK_TEST_DB_URL set to that URL (the fixtures read it; unset means SQLite).
# Knobs: FEEDBACK_SKIP_LINT=1, FEEDBACK_SKIP_PG=1, FEEDBACK_SKIP_SETUP=1.
set -uo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$FEEDBACK_ROOT" || exit 1

if [[ "${FEEDBACK_SKIP_SETUP:-0}" != 1 ]]; then
    bash scripts/setup.sh || { echo "error: scripts/setup.sh failed" >&2; exit 1; }
fi

failures=()
summaries=()
report_dir="$(mktemp -d "${TMPDIR:-/tmp}/feedback-test.XXXXXX")"
trap 'rm -rf "$report_dir"' EXIT

# --- lint ---------------------------------------------------------------------------------
if [[ "${FEEDBACK_SKIP_LINT:-0}" != 1 ]]; then
    feedback_log "ruff check ."
    ruff check . || failures+=("ruff check (fix: ruff check --fix .)")
    feedback_log "ruff format --check ."
    ruff format --check --output-format concise . || failures+=("ruff format (fix: ruff format .)")
fi

# run_pytest NAME ALLOW_EMPTY DB_URL [pytest args...]: runs pytest with FEEDBACK_TEST_DB_URL
# set to DB_URL (empty: unset, i.e. SQLite) and records its summary line.
run_pytest() {
    local name="$1" allow_empty="$2" db_url="$3"
    shift 3
    local out="$report_dir/$name.out" dbenv=(-u FEEDBACK_TEST_DB_URL)
    [[ -n $db_url ]] && dbenv=("FEEDBACK_TEST_DB_URL=$db_url")
    feedback_log "pytest ($name${db_url:+, FEEDBACK_TEST_DB_URL=$db_url}): $*"
    env "${dbenv[@]}" python -m pytest --junitxml="$report_dir/$name.xml" "$@" 2>&1 | tee "$out"
    local rc=${PIPESTATUS[0]}
    local summary
    summary="$(grep -E '^=+ .* in [0-9.]+s.* =+$' "$out" | tail -1)"
    summaries+=("$name: ${summary:-(no summary line; pytest exit $rc)}")
    case $rc in
    0) ;;
    5)
        rm -f "$report_dir/$name.xml"
        if [[ $allow_empty == 1 ]]; then
            echo "note: pytest ($name) collected no tests; nothing to run there yet" >&2
        else
            echo "error: pytest ($name) collected no tests (exit 5)" >&2
            failures+=("pytest $name: no tests collected")
        fi
        ;;
    *) failures+=("pytest $name (exit $rc)") ;;
    esac
}

# --- SQLite pass: everything, browser tests included ---------------------------------------
if (($#)); then sqlite_args=("$@"); else sqlite_args=(tests); fi
run_pytest sqlite 0 "" "${sqlite_args[@]}"

# --- PostgreSQL pass: database-touching tests again, against PostgreSQL --------------------
pg_probe() { # pg_probe URL: can we connect? (prints the reason when not)
    python - "$1" <<'PY'
import sys

import psycopg

url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://", 1)
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:
    sys.exit(f"{type(exc).__name__}: {exc}".strip())
PY
}
pg_url=""
if [[ "${FEEDBACK_SKIP_PG:-0}" == 1 ]]; then
    echo "note: FEEDBACK_SKIP_PG=1, PostgreSQL pass skipped" >&2
elif (($#)); then
    echo "note: explicit pytest args given, PostgreSQL pass skipped" >&2
elif [[ -n "${FEEDBACK_TEST_PG_URL:-}" ]]; then
    if pg_probe "$FEEDBACK_TEST_PG_URL"; then
        pg_url="$FEEDBACK_TEST_PG_URL"
    else
        failures+=("FEEDBACK_TEST_PG_URL does not answer: $FEEDBACK_TEST_PG_URL")
    fi
elif pg_probe postgresql+psycopg://postgres@127.0.0.1:5432/test 2>/dev/null; then
    pg_url=postgresql+psycopg://postgres@127.0.0.1:5432/test
else
    echo "note: no PostgreSQL found (set FEEDBACK_TEST_PG_URL), PostgreSQL pass skipped" >&2
fi
if [[ -n $pg_url ]]; then
    pg_paths=()
    for p in ${FEEDBACK_PG_TEST_PATHS:-tests/services tests/integrations}; do
        [[ -e $p ]] && pg_paths+=("$p")
    done
    if ((${#pg_paths[@]})); then
        run_pytest postgres 1 "$pg_url" "${pg_paths[@]}"
    fi
fi

# --- summary -----------------------------------------------------------------------------------
echo
feedback_log "summary"
printf '  %s\n' "${summaries[@]}"
status=0
if ((${#failures[@]})); then
    printf '  FAILED: %s\n' "${failures[@]}"
    status=1
fi
python - "$report_dir" <<'PY'
import glob
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in glob.glob(f"{sys.argv[1]}/*.xml"):
    root = ET.parse(path).getroot()
    for suite in root.iter("testsuite"):
        tests = int(suite.get("tests", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skip = int(suite.get("skipped", 0))
        passed += tests - bad - skip
        failed += bad
        skipped += skip
print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
