#!/usr/bin/env bash
# Builds the DocC documentation of the library targets (JavaScriptFormats, HTTPCore, WebSocketCore,
# SessionKit, SessionMiddleware, RedisStore, SocketIO, SesiorUsers) without swift-docc-plugin, so Package.swift needs no
# extra dependency: `swift package dump-symbol-graph` builds the package (debug, reusing .build)
# and writes every module's symbol graph, then `docc convert` turns each library's graphs into
# a .doccarchive. Any DocC warning fails the run (a broken ``Symbol`` link, a documented parameter
# that does not exist, …).
#
# Usage: scripts/docs.sh [OUTPUT_DIR]        (default: .build/docs, ignored by git)
#   The archives are laid out for static hosting: serve one with
#   `python3 -m http.server -d OUTPUT_DIR/<Module>.doccarchive 8000` and open
#   http://127.0.0.1:8000/documentation/<module in lower case>/ (or open the archive in Xcode).
# Takes about 45 s on an up-to-date debug build (the build itself comes first when needed).
# Environment: DOCC = the docc binary (default: the one next to `swift`, else `docc` on PATH).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-$root/.build/docs}"
modules=(JavaScriptFormats HTTPCore HTTPCoreTLS WebSocketCore SessionKit SessionMiddleware RedisStore SocketIO SesiorUsers)

docc="${DOCC:-}"
if [ -z "$docc" ]; then
    swift_dir="$(dirname "$(readlink -f "$(command -v swift)")")"
    if [ -x "$swift_dir/docc" ]; then docc="$swift_dir/docc"; else docc="$(command -v docc || true)"; fi
fi
[ -n "$docc" ] && [ -x "$docc" ] || { echo "docs.sh: docc not found; set DOCC=/path/to/docc" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/sesior-docs.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "== symbol graphs (swift package dump-symbol-graph)"
# It also tries the test-discovery modules, which exist only after `swift build --build-tests`,
# and then exits non-zero; what counts is that every library's graph was written afresh.
graphs="$(swift build --show-bin-path)/../symbolgraph"
rm -rf "$graphs"
swift package dump-symbol-graph --minimum-access-level public >"$work/dump.log" 2>&1 || true
for module in "${modules[@]}"; do
    if [ ! -f "$graphs/$module.symbols.json" ]; then
        tail -40 "$work/dump.log" >&2
        echo "docs.sh: no symbol graph for $module (did the build fail?)" >&2
        exit 1
    fi
done

mkdir -p "$out"
warnings=0
for module in "${modules[@]}"; do
    input="$work/$module"
    mkdir -p "$input"
    # The module's own graph plus its extension graphs (`<Module>@<Extended>.symbols.json`).
    cp "$graphs/$module.symbols.json" "$input/"
    find "$graphs" -maxdepth 1 -name "$module@*.symbols.json" -exec cp {} "$input/" \;
    rm -rf "$out/$module.doccarchive"
    echo "== $module"
    if ! "$docc" convert \
        --additional-symbol-graph-dir "$input" \
        --fallback-display-name "$module" \
        --fallback-bundle-identifier "sesior.$module" \
        --output-path "$out/$module.doccarchive" \
        >"$work/$module.log" 2>&1; then
        cat "$work/$module.log" >&2
        echo "docs.sh: docc convert failed for $module" >&2
        exit 1
    fi
    count="$(grep -c 'warning:' "$work/$module.log" || true)"
    if [ "$count" -gt 0 ]; then
        grep -A3 'warning:' "$work/$module.log" >&2
        warnings=$((warnings + count))
    fi
done

echo "docs.sh: ${#modules[@]} archives in $out, $warnings warning(s)"
[ "$warnings" -eq 0 ]
