#!/usr/bin/env python3
"""Times scikit-learn's GradientBoostingClassifier stage by stage on the data of
`spotcheck-bench classifiers --dump`, for shapes where the whole 100-stage fit takes hours.

    .build/release/spotcheck-bench classifiers --dump /tmp/bench-wide
    ~/.cache/spotcheck-reference/venv/bin/python scripts/bench/sklearn_gradient_boosting_stages.py \
        /tmp/bench-wide --budget 3600

Fits on the same stratified 80 % as sklearn_families_fit_times.py (random_state=42) with the
estimator's defaults (100 stages, depth 3, learning rate 0.1, one tree per class per stage), grown
one stage at a time with warm_start=True, which scikit-learn documents as giving the same model as
one fit. Every stage grows the same number of trees on the same rows, so the stages cost about the
same: the script prints each stage's wall and CPU seconds and, when the time budget ends the run
before stage 100, the total extrapolated from the median stage (and says so). When all 100 stages
run it also prints the test accuracy.
"""
import argparse
import os
import statistics
import time
import warnings

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('folder')
    parser.add_argument('--budget', type=float, default=3600, help='seconds after which no new stage starts')
    parser.add_argument('--stages', type=int, default=100)
    args = parser.parse_args()
    warnings.simplefilter('ignore')
    x = np.load(os.path.join(args.folder, 'x.npy'))
    y = np.load(os.path.join(args.folder, 'y.npy'))
    print('scikit-learn GradientBoostingClassifier on %d x %d %s, %d classes, stage by stage'
          % (x.shape + (x.dtype, len(set(y)))), flush=True)
    start, start_cpu = time.perf_counter(), time.process_time()
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, stratify=y, random_state=42)
    model = GradientBoostingClassifier(n_estimators=1, warm_start=True, random_state=42)
    walls, cpus = [], []
    for stage in range(1, args.stages + 1):
        if time.perf_counter() - start > args.budget:
            break
        model.set_params(n_estimators=stage)
        stage_start, stage_cpu = time.perf_counter(), time.process_time()
        model.fit(xtr, ytr)
        walls.append(time.perf_counter() - stage_start)
        cpus.append(time.process_time() - stage_cpu)
        print('stage %3d  %8.2f s  (cpu %.2f s)' % (stage, walls[-1], cpus[-1]), flush=True)
    done = len(walls)
    if done == args.stages:
        accuracy = float(np.mean(model.predict(xte) == yte))
        print('all %d stages: %.1f s  (cpu %.1f s), test accuracy %.3f'
              % (done, time.perf_counter() - start, time.process_time() - start_cpu, accuracy))
    else:
        median_wall, median_cpu = statistics.median(walls), statistics.median(cpus)
        print('budget ended after %d of %d stages (%.1f s); median stage %.2f s (cpu %.2f s); '
              'extrapolated whole fit %.0f s (cpu %.0f s)'
              % (done, args.stages, sum(walls), median_wall, median_cpu,
                 median_wall * args.stages, median_cpu * args.stages))


if __name__ == '__main__':
    main()
