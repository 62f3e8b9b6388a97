#!/usr/bin/env bash
# A bounded fuzz run of every target (default 60 s each), on stable Rust: builds the targets
# with cargo-fuzz (libFuzzer, no sanitizer, debug assertions on), starts from the seed corpus
# and stops at the first crash, hang (10 s) or internal error with exit 1, the input in
# fuzz/artifacts/TARGET/. Needs `cargo install cargo-fuzz` and a C++ compiler.
#
#   bash fuzz/smoke.sh            # all five targets, 60 s each
#   bash fuzz/smoke.sh 30 expr    # one target, 30 s
#
# Building from clean takes about 2 minutes on 2 cores for expr, header and glsl, and about
# 7 more for job (it links the render engine and wgpu).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(expr header glsl dialect job)
for t in "${targets[@]}"; do
    features=()
    [ "$t" = job ] && features=(--features job)
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
    echo "== fuzz target $t: ${seconds} s"
    log="fuzz/artifacts/$t/smoke.log"
    status=0
    # ISFKIT_FUZZ_RUNS=N: N inputs with a fixed seed instead of a time (what CI runs: the
    # same inputs every time, so a run that passes here passes there).
    bound=(-max_total_time="$seconds")
    [ -n "${ISFKIT_FUZZ_RUNS:-}" ] && bound=(-runs="$ISFKIT_FUZZ_RUNS" -seed=1)
    cargo fuzz run --sanitizer none -a "${features[@]}" "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
        -timeout=10 "${bound[@]}" -print_final_stats=1 >"$log" 2>&1 || status=$?
    grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::number_of_executed_units|==[0-9]+== ERROR|SUMMARY|thread .* panicked|artifact_prefix)' "$log" || true
    if [ "$status" -ne 0 ]; then
        echo "fuzz target $t failed (exit $status); the input is in fuzz/artifacts/$t/, the log in $log" >&2
        exit 1
    fi
done
