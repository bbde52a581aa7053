#!/bin/sh
# Runs every fuzz target in fuzz/ (the application reader, the calendar YAML, the
# rule-set loader) when a nightly toolchain is installed. With cargo-fuzz
# (cargo install cargo-fuzz) it is used; without, the targets are built the way
# cargo-fuzz builds them (libFuzzer, coverage instrumentation) and run directly.
# A crash stops the run with its input saved under fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh                       # 10,000,000 runs per target
#   RUNS=100000 scripts/fuzz.sh           # fewer
#   RUNS=100000 scripts/fuzz.sh calendar_yaml
set -eu
cd "$(dirname "$0")/.."
RUNS="${RUNS:-10000000}"
TARGETS="${*:-application_reader calendar_yaml ruleset_loader}"
if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz.sh: no nightly toolchain (rustup toolchain install nightly); nothing run" >&2
    exit 2
fi
if cargo +nightly fuzz --help >/dev/null 2>&1; then
    for target in $TARGETS; do
        echo "fuzz.sh: $target, $RUNS runs"
        cargo +nightly fuzz run "$target" -- -runs="$RUNS" -max_len=65536 -timeout=10
    done
else
    # With an explicit target, as cargo-fuzz does, the instrumentation flags reach
    # the crates fuzzed and not the build scripts.
    host="$(rustc +nightly -vV | sed -n 's/^host: //p')"
    RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions" \
        cargo +nightly build --release --manifest-path fuzz/Cargo.toml --bins --target "$host"
    for target in $TARGETS; do
        mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
        echo "fuzz.sh: $target, $RUNS runs"
        "fuzz/target/$host/release/$target" -runs="$RUNS" -max_len=65536 -timeout=10 \
            -artifact_prefix="fuzz/artifacts/$target/" "fuzz/corpus/$target"
    done
fi
echo "fuzz.sh: every target ran $RUNS times without a crash"
