#!/usr/bin/env bash
# Instructions per application and instructions to load the rule set, counted by
# valgrind's callgrind (a count, unlike a time, is the same from run to run).
#
#   scripts/instructions.sh [APPLICATIONS | -n N]
#
# APPLICATIONS: a file of applications (.yaml with documents separated by ---, or
# .jsonl). Default: the applications of examples/*.yaml, repeated to N documents
# (-n, default 1,000) in a temporary multi-document YAML file.
#
# hds evaluate runs once on the first application alone and once on all of them;
# the difference divided by the applications added is the cost of one application,
# and what is left of the first run once that is taken off is the cost of starting
# and loading the rule set. Needs valgrind; builds the release binary first.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v valgrind >/dev/null || { echo "scripts/instructions.sh: valgrind is needed (apt-get install valgrind)" >&2; exit 2; }

cargo build --release --quiet
hds="$root/target/release/hds"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

n=1000
if [[ "${1:-}" == "-n" ]]; then
    n="${2:?scripts/instructions.sh: -n needs a number of applications}"
    shift 2
fi
if [[ $# -ge 1 ]]; then
    all="$1"
    [[ -f "$all" ]] || { echo "scripts/instructions.sh: $all: no such file" >&2; exit 2; }
else
    all="$work/applications.yaml"
    examples=(examples/*.yaml)
    for ((i = 0; i < n; i++)); do
        echo "---"
        sed '/^---[[:space:]]*$/d' "${examples[i % ${#examples[@]}]}"
    done >"$all"
fi

# The first application alone, in a file of the same kind.
case "$all" in
    *.jsonl) one="$work/one.jsonl"; grep -m1 -v '^[[:space:]]*$' "$all" >"$one" ;;
    *.json) one="$all" ;;
    *) one="$work/one.yaml"; awk '/^---/ { if (seen++) exit } { print }' "$all" >"$one" ;;
esac

count() {
    # Total instructions of one run of hds evaluate, output thrown away.
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
        "$hds" evaluate "$@" 2>"$work/valgrind.log" >/dev/null || true
    grep -o 'Collected : [0-9]*' "$work/valgrind.log" | grep -o '[0-9]*$'
}

records() {
    # The number of records hds reads from a file (one output line each).
    "$hds" evaluate "$1" 2>/dev/null | wc -l
}

n_all="$(records "$all")"
n_one="$(records "$one")"
if ((n_all <= n_one)); then
    echo "scripts/instructions.sh: $all holds $n_all application(s); give more than $n_one" >&2
    exit 2
fi
i_one="$(count "$one")"
i_all="$(count "$all")"
per=$(((i_all - i_one) / (n_all - n_one)))
load=$((i_one - per * n_one))

printf 'applications        %12d (%s)\n' "$n_all" "$all"
printf 'instructions, 1     %12d\n' "$i_one"
printf 'instructions, %-5d %12d\n' "$n_all" "$i_all"
printf 'per application     %12d\n' "$per"
printf 'start and load      %12d\n' "$load"
