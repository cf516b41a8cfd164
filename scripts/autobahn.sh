#!/usr/bin/env bash
# Autobahn WebSocket conformance run (kosoku's fuzzingclient) against websocket-echo-server.
#
# Usage: scripts/autobahn.sh [-c debug|release] [-b BINARY] [-o REPORT_DIR] [-p PORT] [debug|release] [CASE_GLOB...]
#   -c  build configuration used to find (and build, when -b is not given) the server; default debug
#       (a first positional argument `debug` or `release` means the same)
#   -b  path of an already built websocket-echo-server
#   -o  report directory (default: a fresh temp dir); keep it out of git (reports/ is ignored)
#   -p  TCP port (default: a free one)
#   CASE_GLOB  kosoku -i selections (default: groups 1-7, 9, 10, 12, 13)
# Environment: PYTHON = interpreter with kosoku installed (default: .venv/bin/python, else python3).
# Prints counts per behavior and exits non-zero if any case FAILED (or the run broke).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
configuration=debug
binary=""
report_dir=""
port=""
while getopts "c:b:o:p:h" option; do
    case "$option" in
        c) configuration="$OPTARG" ;;
        b) binary="$OPTARG" ;;
        o) report_dir="$OPTARG" ;;
        p) port="$OPTARG" ;;
        *) sed -n '2,14p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ] && { [ "$1" = debug ] || [ "$1" = release ]; }; then
    configuration="$1"
    shift
fi
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
    cases=('1.*' '2.*' '3.*' '4.*' '5.*' '6.*' '7.*' '9.*' '10.*' '12.*' '13.*')
fi

python="${PYTHON:-}"
if [ -z "$python" ]; then
    if [ -x "$root/.venv/bin/python" ]; then python="$root/.venv/bin/python"; else python=python3; fi
fi
"$python" -c 'import kosoku' 2>/dev/null || { echo "autobahn.sh: kosoku is not installed for $python (pip install kosoku)" >&2; exit 2; }

if [ -z "$binary" ]; then
    (cd "$root" && swift build -c "$configuration" --product websocket-echo-server)
    binary="$(cd "$root" && swift build -c "$configuration" --show-bin-path)/websocket-echo-server"
fi
[ -x "$binary" ] || { echo "autobahn.sh: no server binary at $binary" >&2; exit 2; }

if [ -z "$port" ]; then
    port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
fi
if [ -z "$report_dir" ]; then
    report_dir="$(mktemp -d "${TMPDIR:-/tmp}/autobahn-report.XXXXXX")"
fi
mkdir -p "$report_dir"

"$binary" --port "$port" --host 127.0.0.1 >"$report_dir/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
    if "$python" -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2).close()" 2>/dev/null; then break; fi
    kill -0 "$server_pid" 2>/dev/null || { echo "autobahn.sh: the server exited:" >&2; cat "$report_dir/server.log" >&2; exit 2; }
    sleep 0.1
done

selection=()
for glob in "${cases[@]}"; do selection+=(-i "$glob"); done
echo "autobahn.sh: running ${cases[*]} against $binary on port $port; report in $report_dir"
set +e
"$python" "$root/scripts/kosoku_wrapper.py" -m fuzzingclient "${selection[@]}" -o "$report_dir" "127.0.0.1:$port"
kosoku_status=$?
set -e

"$python" - "$report_dir/index.json" "$kosoku_status" <<'PY'
import collections, json, sys

path, kosoku_status = sys.argv[1], int(sys.argv[2])
try:
    index = json.load(open(path))
except (OSError, ValueError) as error:
    sys.exit(f"autobahn.sh: no readable report index ({error}); kosoku exited {kosoku_status}")
counts = collections.Counter()
failed = []
for agent, results in index.items():
    for case_id, result in results.items():
        behavior = result["behavior"]
        counts[behavior] += 1
        if behavior == "FAILED" or result.get("behaviorClose") == "FAILED":
            failed.append(f"{case_id} ({behavior}/{result.get('behaviorClose')})")
order = ["OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED"]
total = sum(counts.values())
print("Autobahn results: " + ", ".join(f"{name} {counts.get(name, 0)}" for name in order)
      + "".join(f", {name} {n}" for name, n in counts.items() if name not in order) + f" (total {total})")
non_ok = {cid: r["behavior"] for res in index.values() for cid, r in res.items() if r["behavior"] not in ("OK",)}
if non_ok:
    print("Not OK: " + ", ".join(f"{cid} {b}" for cid, b in sorted(non_ok.items())))
if failed:
    print("FAILED cases: " + ", ".join(failed))
    sys.exit(1)
if kosoku_status != 0:
    sys.exit(f"autobahn.sh: kosoku exited {kosoku_status}")
PY
