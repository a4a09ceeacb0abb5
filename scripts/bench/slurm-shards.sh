#!/usr/bin/env bash
# scripts/bench/slurm-shards.sh [COPIES] [ROUNDS] — extraction wall time of a planned run for 1,
# 2 and 4 shards on the one-node Slurm cluster of scripts/slurm-local (started and stopped here),
# for BENCHMARKS.md.
#
# The images: COPIES (default 8) copies of data/demo (167 files, 165 photos) under
# /tmp/spotcheck-shards-bench/images. For each round (default 2) and shard count, interleaved:
# `spotcheck plan --shards N --emit slurm` (mobilenet_v2), then the extract array alone, timed
# from `sbatch --wait` to its return. 1 shard runs with 2 threads (both cores); 2 and 4 shards
# with 1 thread each (two tasks at once on the 2-CPU node). Prints one TSV line per run: shards,
# threads, images, wall seconds, the tasks' own seconds (from RUN/shards/*.json: image checks,
# decoding, network, store) and the load average before the run.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
COPIES=${1:-8}
ROUNDS=${2:-2}
WORK=/tmp/spotcheck-shards-bench
TOOL="$ROOT/.build/release/spotcheck"
[[ -x "$TOOL" ]] || { echo "build first: swift build -c release --product spotcheck" >&2; exit 1; }

rm -rf "$WORK"; mkdir -p "$WORK/images"
for cls in "$ROOT"/data/demo/*/; do
    name=$(basename "$cls"); mkdir -p "$WORK/images/$name"
    for ((c = 0; c < COPIES; c++)); do
        for f in "$cls"*; do cp "$f" "$WORK/images/$name/c${c}_$(basename "$f")"; done
    done
done

eval "$("$ROOT/scripts/slurm-local" start)"
trap '"$ROOT/scripts/slurm-local" stop' EXIT

printf 'round\tshards\tthreads\timages\twall_s\ttask_s\tload1\n'
for ((round = 1; round <= ROUNDS; round++)); do
    for shards in 1 2 4; do
        threads=$((shards == 1 ? 2 : 1))
        run="$WORK/run-$shards"
        rm -rf "$run"
        "$TOOL" plan --images "$WORK/images" --shards "$shards" --out "$run" --extractors mobilenet_v2 \
            --classifiers NearestCentroid --threads "$threads" --emit slurm >/dev/null 2>&1
        load=$(cut -d' ' -f1 /proc/loadavg)
        start=$(date +%s.%N)
        sbatch --wait --quiet --array=0-$((shards - 1)) "$run/slurm/extract.sbatch" >/dev/null
        end=$(date +%s.%N)
        images=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["images"])' "$run/plan.json")
        task=$(python3 -c 'import glob,json,sys; print(" ".join("%.1f" % json.load(open(f))["seconds"] for f in sorted(glob.glob(sys.argv[1] + "/shards/*.json"))))' "$run")
        printf '%d\t%d\t%d\t%d\t%.1f\t%s\t%s\n' "$round" "$shards" "$threads" "$images" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$task" "$load"
    done
done
