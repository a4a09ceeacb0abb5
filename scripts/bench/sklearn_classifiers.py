#!/usr/bin/env python3
"""scikit-learn side of `spotcheck bench classifiers`: the same cases on the same data.

First export the data with our benchmark (it writes <prefix>.features.f32, .labels.i32, .json):
    .build/release/spotcheck bench classifiers --export /tmp/bench/flowers [--rows 1088 --columns 25088]
then run, with the reference venv (scikit-learn):
    ~/.cache/spotcheck-reference/venv/bin/python scripts/bench/sklearn_classifiers.py /tmp/bench/flowers [repeats]
Prints one line per case: fit (or predict) median seconds and test accuracy. Trees use n_jobs=2
and kNN/NearestCentroid use the BLAS threads of the machine, as ours.
"""
import json
import statistics
import sys
import time

import numpy as np
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from sklearn.neighbors import KNeighborsClassifier, NearestCentroid


def main():
    prefix = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with open(prefix + '.json') as f:
        meta = json.load(f)
    x = np.fromfile(prefix + '.features.f32', dtype='<f4').reshape(meta['rows'], meta['columns'])
    y = np.fromfile(prefix + '.labels.i32', dtype='<i4').astype(np.int64)
    xtr, ytr, xte, yte = x[meta['train']], y[meta['train']], x[meta['test']], y[meta['test']]
    print('scikit-learn on %d×%d, train %d / test %d, median of %d' % (x.shape + (len(ytr), len(yte), repeats)))
    cases = [('RandomForestClf-100', 'fit', lambda: RandomForestClassifier(n_jobs=2, random_state=42)),
             ('ExtraTreesClf-100', 'fit', lambda: ExtraTreesClassifier(n_jobs=2, random_state=42)),
             ('KNeighborsClf-5', 'predict', lambda: KNeighborsClassifier()),
             ('NearestCentroid', 'fit', lambda: NearestCentroid())]
    for name, phase, make in cases:
        if len(sys.argv) > 3 and name not in sys.argv[3].split(','):
            continue
        times = []
        for _ in range(repeats):
            model = make()
            t0 = time.perf_counter()
            model.fit(xtr, ytr)
            t1 = time.perf_counter()
            predicted = model.predict(xte)
            t2 = time.perf_counter()
            times.append(t1 - t0 if phase == 'fit' else t2 - t1)
        print('%-28s%-8smedian %8.3f s  (min %.3f)  test accuracy %.3f'
              % (name, phase, statistics.median(times), min(times), float(np.mean(predicted == yte))))


if __name__ == '__main__':
    main()
