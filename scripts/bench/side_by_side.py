#!/usr/bin/env python3
"""Times spotcheck and scikit-learn on the same synthetic matrix, case by case, interleaved in
rounds (ours, then scikit-learn's, for every case, then the next round), so both sides see the
same load; prints the median of the rounds and the ratio of every round (scikit-learn / ours),
for wall-clock seconds and for CPU seconds (all threads: the fairer measure on a shared machine,
and a conservative one for us, since it does not credit our use of both cores).

    .build/release/spotcheck-bench classifiers --dump /tmp/bench-wide          # once: the data
    ~/.cache/spotcheck-reference/venv/bin/python scripts/bench/side_by_side.py /tmp/bench-wide \
        --rounds 3 --cases GaussianNB LDA SVC ... [--rows 10000 --dim 1280]

Each round runs `spotcheck-bench classifiers --only CASE --repeats 1` (which regenerates the same
seeded matrix as --dump wrote; only the fit + predict is timed) and
`sklearn_families_fit_times.py DATA --only CASE` (only the fit + predict is timed).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')


def seconds(output, case):
    """The wall and CPU seconds the bench printed for `case`."""
    for line in output.splitlines():
        if line.startswith(case + ' '):
            match = re.search(r'([0-9.]+) s  \(cpu ([0-9.]+) s\)', line[len(case):])
            if match:
                return float(match.group(1)), float(match.group(2))
    raise SystemExit('no time for %s in:\n%s' % (case, output))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('data')
    parser.add_argument('--cases', nargs='+', required=True)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--rows', type=int, default=1088)
    parser.add_argument('--dim', type=int, default=25088)
    parser.add_argument('--spotcheck', default=os.path.join(ROOT, '.build', 'release', 'spotcheck-bench'))
    args = parser.parse_args()
    ours, theirs = {c: [] for c in args.cases}, {c: [] for c in args.cases}
    for r in range(args.rounds):
        for case in args.cases:
            out = subprocess.run([args.spotcheck, 'classifiers', '--rows', str(args.rows), '--dim', str(args.dim),
                                  '--repeats', '1', '--only', case], capture_output=True, text=True).stdout
            ours[case].append(seconds(out, case))
            out = subprocess.run([sys.executable, os.path.join(HERE, 'sklearn_families_fit_times.py'), args.data,
                                  '--only', case], capture_output=True, text=True).stdout
            theirs[case].append(seconds(out, case))
            print('round %d %-26s ours %8.3f s (cpu %.3f)  scikit-learn %8.3f s (cpu %.3f)'
                  % ((r + 1, case) + ours[case][-1] + theirs[case][-1]), flush=True)
    print('\n| case | ours wall / cpu (s, median) | scikit-learn wall / cpu (s, median) | wall ratio per round | '
          'median wall ratio | median cpu ratio |')
    print('|---|---|---|---|---|---|')
    for case in args.cases:
        wall = [t[0] / o[0] for o, t in zip(ours[case], theirs[case])]
        cpu = [t[1] / o[1] for o, t in zip(ours[case], theirs[case])]
        print('| %s | %.3f / %.3f | %.3f / %.3f | %s | %.1f× | %.1f× |'
              % (case, statistics.median(o[0] for o in ours[case]), statistics.median(o[1] for o in ours[case]),
                 statistics.median(t[0] for t in theirs[case]), statistics.median(t[1] for t in theirs[case]),
                 ', '.join('%.1f' % q for q in wall), statistics.median(wall), statistics.median(cpu)))


if __name__ == '__main__':
    main()
