#!/usr/bin/env bash
# Builds every libFuzzer target under Fuzz/ (one SwiftPM product per directory) optimised, with
# -sanitize=fuzzer,address and exclusivity checks (preconditions stay on; -Ounchecked is never
# used), into .build-fuzz, then runs each one at a time.
#
#   scripts/fuzz.sh [SECONDS [TARGET ...]]        short run (make test, make fuzz): each target for
#       SECONDS (default 30) on a temporary copy of its Fuzz/<Name>/corpus, which is never changed.
#   scripts/fuzz.sh --long [SECONDS [TARGET ...]] campaign (make fuzz-long): each target for SECONDS
#       (default 600) from its kept corpus; afterwards the corpus and the new inputs are minimised
#       with -merge=1, and Fuzz/<Name>/corpus is replaced by the merged set only when the merge
#       added coverage features (commit it then). Crashes and slow units go to fuzz-artifacts/.
#
# Each target's libFuzzer flags (-max_len, -use_value_profile, ...) are in Fuzz/<Name>/libfuzzer.options,
# one a line. Prints per target: executions, executions per second (wall clock, as libFuzzer counts
# them) and per CPU second of the fuzzer process, coverage (edges) and features.
# Exits non-zero if any target fails to build, crashes, or runs without libFuzzer statistics.
# FUZZ_CPU=N pins every fuzzer run to CPU N (taskset), so a campaign leaves the other core alone.
set -uo pipefail

long=0
if [ "${1:-}" = "--long" ]; then long=1; shift; fi
duration="${1:-$([ $long = 1 ] && echo 600 || echo 30)}"
shift $(($# > 0 ? 1 : 0))
only=" $* "
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root" || exit 2
export SWIFT_BACKTRACE=enable=no
artifacts="$root/fuzz-artifacts"
export FUZZ_ARTIFACTS="$artifacts"
mkdir -p "$artifacts"
# ASan everywhere; libFuzzer's coverage only in this package's modules (Package.swift reads
# SESIOR_FUZZ_COVERAGE), and its runtime linked into the fuzz targets.
export SESIOR_FUZZ_COVERAGE=1
build_flags=(-c release --scratch-path .build-fuzz
    -Xswiftc -sanitize=address -Xswiftc -enforce-exclusivity=checked -Xswiftc -DFUZZING)
bin_path="$(swift build "${build_flags[@]}" --show-bin-path)"
pin=()
if [ -n "${FUZZ_CPU:-}" ] && command -v taskset >/dev/null; then pin=(taskset -c "$FUZZ_CPU"); fi
# FUZZ_FLAGS: extra libFuzzer flags for every target, after its own (the last value of a flag wins).
read -r -a extra_flags <<<"${FUZZ_FLAGS:-}"
failures=0
summary=()

stat() { grep -o "stat::$1: *[0-9]*" "$2" | grep -o '[0-9]*$' | tail -1; }

for dir in Fuzz/*/; do
    [ -f "$dir/main.swift" ] || continue  # a library shared by the targets, not a target
    name="$(basename "$dir")"
    [ "$only" = "  " ] || [[ "$only" == *" $name "* ]] || continue
    started=$SECONDS
    echo "== $name: building"
    if ! swift build "${build_flags[@]}" --product "$name" >"$artifacts/$name.build.log" 2>&1; then
        echo "!! $name: build failed (see $artifacts/$name.build.log)"
        tail -20 "$artifacts/$name.build.log"
        summary+=("$name: BUILD FAILED")
        failures=$((failures + 1))
        continue
    fi
    options=()
    if [ -f "$dir/libfuzzer.options" ]; then mapfile -t options < <(grep -v '^\s*\(#\|$\)' "$dir/libfuzzer.options"); fi
    kept="$dir/corpus"
    mkdir -p "$kept"
    work="$(mktemp -d)"
    cp -R "$kept/." "$work/"
    echo "== $name: fuzzing for ${duration}s ${options[*]}"
    TIMEFORMAT='%U %S'
    { time "${pin[@]}" "$bin_path/$name" "${options[@]}" "${extra_flags[@]}" -max_total_time="$duration" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$name-" "$work" >"$artifacts/$name.log" 2>&1; } 2>"$artifacts/$name.cpu"
    rc=$?
    # Executions per CPU second of the fuzzer process (not of the node oracle): what the target
    # reaches on a quiet core, however loaded the machine is.
    cpu="$(awk '{ print $1 + $2 }' "$artifacts/$name.cpu")"
    executions="$(stat number_of_executed_units "$artifacts/$name.log")"
    per_second="$(stat average_exec_per_sec "$artifacts/$name.log")"
    coverage="$(grep -o 'cov: [0-9]* ft: [0-9]*' "$artifacts/$name.log" | tail -1)"
    grep -A20 "inputs compared with Node" "$artifacts/$name.log" | head -20
    merged=""
    if [ "$rc" -eq 0 ] && [ "$long" = 1 ]; then
        # First what the run adds to the kept corpus (features counted against it), then, if
        # anything, a minimised corpus of both from scratch. Merges count edges and counters
        # only (-use_value_profile=0): with value profile every distinct comparison operand is a
        # feature, and the kept corpus would grow to megabytes of near-duplicates.
        grown="$(mktemp -d)"
        fresh="$(mktemp -d)"
        cp -R "$kept/." "$grown/"
        "${pin[@]}" "$bin_path/$name" "${options[@]}" -use_value_profile=0 -merge=1 "$grown" "$work" >"$artifacts/$name.merge.log" 2>&1
        added="$(grep -o 'MERGE-OUTER: [0-9]* new files with [0-9]* new features' "$artifacts/$name.merge.log" | tail -1)"
        new_features="$(echo "$added" | grep -o 'with [0-9]*' | grep -o '[0-9]*')"
        if [ "${new_features:-0}" -gt 0 ] &&
            "${pin[@]}" "$bin_path/$name" "${options[@]}" -use_value_profile=0 -merge=1 "$fresh" "$grown" >>"$artifacts/$name.merge.log" 2>&1; then
            # Named seeds (regression inputs, hand-written examples) stay; libFuzzer's own files,
            # named by their SHA-1, are replaced by the merged set.
            find "$kept" -maxdepth 1 -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}' -delete
            cp -R "$fresh/." "$kept/"
            merged=" corpus grew ($added, now $(ls "$kept" | wc -l) files, $(du -sk "$kept" | cut -f1) KB)"
        else
            merged=" corpus kept (no new features)"
        fi
        rm -rf "$fresh" "$grown"
    fi
    rm -rf "$work"
    per_cpu_second="$(awk -v e="${executions:-0}" -v c="${cpu:-0}" 'BEGIN { if (c > 0) printf "%d", e / c; else print "?" }')"
    line="executions=${executions:-?} exec/s=${per_second:-?} exec/cpu-s=$per_cpu_second ${coverage:-}$merged in $((SECONDS - started))s"
    if [ "$rc" -ne 0 ]; then
        echo "!! $name: crashed (exit $rc), log: $artifacts/$name.log"
        grep -E 'ERROR|Fatal error|Assertion|Test unit written|disagrees' "$artifacts/$name.log" | head -10
        summary+=("$name: CRASH $line")
        failures=$((failures + 1))
    elif [ -z "$executions" ]; then
        echo "!! $name: ran without libFuzzer statistics (no LLVMFuzzerRunDriver call under FUZZING?)"
        summary+=("$name: NOT FUZZED")
        failures=$((failures + 1))
    else
        summary+=("$name: ok $line")
    fi
    echo "== ${summary[-1]}"
done

echo "== fuzz summary (${duration}s per target$([ $long = 1 ] && echo ', long'))"
printf '%s\n' "${summary[@]}"
[ "$failures" -eq 0 ]
