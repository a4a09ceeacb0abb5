#!/usr/bin/env python3
"""Time scikit-learn's forest, extra-trees, kNN and nearest-centroid on the data of
`spotcheck-bench classifiers` (the neighbour/tree cases of ClassifierBench+Core.swift).

First dump the benchmark data, then time scikit-learn on it in the same session:
    .build/release/spotcheck bench classifiers --dump /tmp/bench-data [--rows 10000 --dim 1280]
    ~/.cache/spotcheck-reference/venv/bin/python scripts/bench/sklearn_core_fit_times.py /tmp/bench-data \
        [--repeats 3] [--only RandomForestClf-100 ...]

Each case, like ours, fits on a stratified 80 % of the rows and predicts the other 20 % inside
the timed call (scikit-learn's own split, random_state=42, so the two sides differ by a few
rows; ours is StratifiedSplit.trainTest with seed 42). Trees use n_jobs=2 (the machine's cores);
kNN and NearestCentroid use the BLAS threads. Prints median seconds and the test accuracy.
"""
import time

import numpy as np
import sklearn_bench_data
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier, NearestCentroid

CASES = {
    'RandomForestClf-100': lambda: RandomForestClassifier(n_jobs=2, random_state=42),
    'ExtraTreesClf-100': lambda: ExtraTreesClassifier(n_jobs=2, random_state=42),
    'KNeighborsClf-5': lambda: KNeighborsClassifier(),
    'NearestCentroid': lambda: NearestCentroid(),
}


def main():
    args, x, y = sklearn_bench_data.load(__doc__)
    print('scikit-learn on %d x %d %s, %d classes, median of %d' % (x.shape + (x.dtype, len(set(y)), args.repeats)))
    for name, make in sklearn_bench_data.selected(CASES, args):
        seconds = []
        for _ in range(args.repeats):
            model = make()
            start = time.perf_counter()
            xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, stratify=y, random_state=42)
            model.fit(xtr, ytr)
            accuracy = float(np.mean(model.predict(xte) == yte))
            seconds.append(time.perf_counter() - start)
        print('%-30s%8.3f s   fit 80 %% + predict 20 %%, test accuracy %.3f' % (name, float(np.median(seconds)), accuracy),
              flush=True)


if __name__ == '__main__':
    main()
