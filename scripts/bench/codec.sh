# The JSON codec scenario of scripts/bench.sh (sourced by it, not run): Benchmarks/Sources/
# CodecBenchmark on this tree against the same program built on a base commit (BENCH_CODEC_BASE,
# default 7dacf84: the last commit before JavaScriptFormats replaced the three JSON copies), run
# in alternation in one process pinned per round. Uses bench.sh's settings and helpers.
#
# The base tree is exported with `git archive` (no worktree, no change to the repository) and
# built as a small package of its own that holds a copy of this tree's CodecBenchmark source:
# the program uses only API that both trees have.
BENCH_CODEC_BASE=${BENCH_CODEC_BASE-7dacf84}
CODEC_ROUNDS=${CODEC_ROUNDS:-3}

# codec_base_binary: builds CodecBenchmark against BENCH_CODEC_BASE; sets CODEC_BASE_BIN or
# records why it could not.
codec_base_binary() {
  CODEC_BASE_BIN=""
  local base=$WORK/codec-base
  if ! git -C "$ROOT" cat-file -e "$BENCH_CODEC_BASE^{commit}" 2>/dev/null; then
    record codec.base.reason "base commit $BENCH_CODEC_BASE is not in this repository's history"
    return 1
  fi
  mkdir -p "$base/sesior" "$base/bench/Sources/CodecBenchmark"
  git -C "$ROOT" archive "$BENCH_CODEC_BASE" | tar -x -C "$base/sesior"
  cp "$ROOT/Benchmarks/Sources/CodecBenchmark/main.swift" "$base/bench/Sources/CodecBenchmark/"
  cat >"$base/bench/Package.swift" <<'EOF'
// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "codec-base",
    dependencies: [.package(name: "sesior", path: "../sesior")],
    targets: [
        .executableTarget(
            name: "CodecBenchmark",
            dependencies: [
                .product(name: "SessionKit", package: "sesior"),
                .product(name: "SocketIO", package: "sesior"),
            ]
        ),
    ]
)
EOF
  bench_log "building CodecBenchmark on base $BENCH_CODEC_BASE (release)"
  if ! bench_run 1800 "$WORK/build-codec-base.log" "$WORK/build-codec-base.log" \
    swift build -c release --package-path "$base/bench" --product CodecBenchmark; then
    record codec.base.reason "CodecBenchmark did not build on $BENCH_CODEC_BASE ($(grep -m1 'error:' "$WORK/build-codec-base.log" | cut -c1-160))"
    return 1
  fi
  CODEC_BASE_BIN="$(swift build -c release --package-path "$base/bench" --show-bin-path)/CodecBenchmark"
}

# codec_run SUBJECT BINARY ROUND: one run of every case; records `case ns_per_op` lines.
codec_run() {
  local subject=$1 binary=$2 round=$3 out=$WORK/codec-$1-$3.out
  if ! bench_run 600 "$out" "$WORK/codec-$subject-$round.err" $SERVER_PREFIX "$binary" --iterations 20000 --rounds 7; then
    record "codec.$subject.reason" "CodecBenchmark exited with an error ($(tail -1 "$WORK/codec-$subject-$round.err" | cut -c1-160))"
    return 1
  fi
  local line name value
  while read -r line; do
    name=$(grep -o 'case=[^ ]*' <<<"$line" | cut -d= -f2)
    value=$(grep -o ' ns_per_op=[0-9.]*' <<<"$line" | cut -d= -f2)
    [ -n "$name" ] && [ -n "$value" ] && record "codec.$subject.case" "$name $value"
  done < <(grep '^case=' "$out")
  grep -q '^case=' "$out" || record "codec.$subject.reason" "CodecBenchmark printed no case lines"
}

if selected codec; then
  record codec.note "CodecBenchmark (Benchmarks/Sources/CodecBenchmark): a connect-redis session decoded from bytes and from a String and encoded by SessionKit, Socket.IO packets (a rename event, a chat event with an ack id, a 20-member room state) decoded and encoded by SocketIO; median ns per operation of 7 rounds. *base* is the same program built on commit ${BENCH_CODEC_BASE:-none} (before JavaScriptFormats), *sesior* on this tree; $CODEC_ROUNDS runs of each, in alternation; the table gives the median of the runs."
  if bench_product CodecBenchmark; then
    CODEC_BIN=$BENCH_PRODUCT_PATH
    CODEC_BASE_BIN=""
    [ -n "$BENCH_CODEC_BASE" ] && codec_base_binary
    for ((round = 0; round < CODEC_ROUNDS; round++)); do
      bench_log "codec round $((round + 1))/$CODEC_ROUNDS ($(load_note))"
      if [ -n "$CODEC_BASE_BIN" ] && ((round % 2 == 1)); then
        codec_run base "$CODEC_BASE_BIN" "$round"
        codec_run sesior "$CODEC_BIN" "$round"
      else
        codec_run sesior "$CODEC_BIN" "$round"
        [ -n "$CODEC_BASE_BIN" ] && codec_run base "$CODEC_BASE_BIN" "$round"
      fi
    done
  else
    record codec.sesior.reason "$BENCH_PRODUCT_REASON"
    echo "CodecBenchmark: $BENCH_PRODUCT_REASON"
  fi
fi
