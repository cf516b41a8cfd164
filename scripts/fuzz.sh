#!/usr/bin/env bash
# Builds every libFuzzer target under Fuzz/ (one SwiftPM product per directory) with
# -sanitize=fuzzer,address into .build-fuzz, then runs each for DURATION seconds (default 30) on a
# temporary copy of its Fuzz/<Name>/corpus, so the committed corpus is never changed.
# Crash inputs and logs go to fuzz-artifacts/. Exits non-zero if any target fails to build, crashes,
# or runs without libFuzzer (prints no execution statistics).
# Usage: scripts/fuzz.sh [DURATION_SECONDS [TARGET ...]] (no target: every one under Fuzz/)
set -uo pipefail

duration="${1:-30}"
shift $(($# > 0 ? 1 : 0))
only=" $* "
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root" || exit 2
export SWIFT_BACKTRACE=enable=no
artifacts="$root/fuzz-artifacts"
mkdir -p "$artifacts"
build_flags=(--scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING)
bin_path="$(swift build "${build_flags[@]}" --show-bin-path)"
failures=0
summary=()

for dir in Fuzz/*/; do
    [ -f "$dir/main.swift" ] || continue  # a library shared by the targets, not a target
    name="$(basename "$dir")"
    [ "$only" = "  " ] || [[ "$only" == *" $name "* ]] || continue
    echo "== $name: building"
    if ! swift build "${build_flags[@]}" --product "$name" >"$artifacts/$name.build.log" 2>&1; then
        echo "!! $name: build failed (see $artifacts/$name.build.log)"
        tail -20 "$artifacts/$name.build.log"
        summary+=("$name: BUILD FAILED")
        failures=$((failures + 1))
        continue
    fi
    work="$(mktemp -d)"
    if [ -d "$dir/corpus" ]; then cp -R "$dir/corpus/." "$work/"; fi
    echo "== $name: fuzzing for ${duration}s"
    "$bin_path/$name" -max_total_time="$duration" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$name-" "$work" >"$artifacts/$name.log" 2>&1
    rc=$?
    rm -rf "$work"
    executions="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$artifacts/$name.log" | grep -o '[0-9]*$' | tail -1)"
    if [ "$rc" -ne 0 ]; then
        echo "!! $name: crashed (exit $rc), log: $artifacts/$name.log"
        grep -E 'ERROR|Fatal error|Assertion|Test unit written' "$artifacts/$name.log" | head -10
        summary+=("$name: CRASH executions=${executions:-?}")
        failures=$((failures + 1))
    elif [ -z "$executions" ]; then
        echo "!! $name: ran without libFuzzer statistics (no LLVMFuzzerRunDriver call under FUZZING?)"
        summary+=("$name: NOT FUZZED")
        failures=$((failures + 1))
    else
        summary+=("$name: ok executions=$executions")
    fi
done

echo "== fuzz summary (${duration}s per target)"
printf '%s\n' "${summary[@]}"
[ "$failures" -eq 0 ]
