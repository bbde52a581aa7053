#!/bin/sh
# Streams N generated applications (default 1,000,000) through `hds evaluate -`
# with the release build, and reports the time taken and the peak memory (needs
# GNU time at /usr/bin/time); then the time `hds evaluate big.jsonl | head -1`
# takes on the same records written to a file.
#
#   scripts/stream-bench.sh            # 1,000,000 records
#   N=100000 scripts/stream-bench.sh
set -eu
cd "$(dirname "$0")/.."
N="${N:-1000000}"
cargo build --release --quiet
hds=target/release/hds
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Half complete applications, half redirected ones, one per line.
awk -v n="$N" 'BEGIN {
    for (i = 0; i < n; i++) {
        if (i % 2 == 0)
            printf "{\"id\": \"S-%d\", \"submitted_at\": \"2026-03-02\", \"data_kind\": \"aggregated\", \"applicant\": {\"name\": \"Kari\", \"organisation\": \"UiO\", \"email\": \"k@uio.no\"}, \"project\": {\"description\": \"Rates by county\", \"purpose\": \"research\"}, \"sources\": [{\"id\": \"msis\", \"variables\": [\"year\"]}]}\n", i
        else
            printf "{\"id\": \"S-%d\", \"submitted_at\": \"2026-03-02\", \"data_kind\": \"identifiable\"}\n", i
    }
}' > "$work/big.jsonl"
echo "stream-bench: $N records through standard input"
/usr/bin/time -f "stream-bench: %e s, peak memory %M KB" "$hds" --rules rules evaluate - < "$work/big.jsonl" > /dev/null || true
echo "stream-bench: evaluate big.jsonl | head -1"
start=$(date +%s.%N)
"$hds" --rules rules evaluate "$work/big.jsonl" | head -1 > /dev/null
end=$(date +%s.%N)
echo "stream-bench: first decision and exit in $(echo "$end - $start" | bc) s"
