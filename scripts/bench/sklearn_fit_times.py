#!/usr/bin/env python3
"""Time scikit-learn's linear classifiers (defaults) on the data of `spotcheck-bench classifiers`.

First dump the benchmark data, then time scikit-learn on it in the same session:
    .build/release/spotcheck bench classifiers --dump /tmp/bench-data
    ~/.cache/spotcheck-reference/venv/bin/python scripts/bench/sklearn_fit_times.py /tmp/bench-data \
        [--repeats 1] [--only LogisticRegression LinearSVC ...]

Prints the median fit seconds per classifier (names as in the Swift benchmark) and the
iteration count scikit-learn reports. Estimators keep their defaults (so SGD and LinearSVC fit
their one-vs-rest problems on one core; lbfgs and Ridge use BLAS threads).
"""
import time
import warnings

import numpy as np
import sklearn_bench_data
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.svm import LinearSVC

CASES = {
    'LogisticRegression': lambda: LogisticRegression(),
    'LinearSVC': lambda: LinearSVC(),
    'SGDClassifier': lambda: SGDClassifier(random_state=42),
    'PassiveAggressiveClassifier': lambda: SGDClassifier(loss='hinge', penalty=None, learning_rate='pa1',
                                                         eta0=1.0, random_state=42),
    'RidgeClassifier': lambda: RidgeClassifier(),
}


def main():
    args, x, y = sklearn_bench_data.load(__doc__)
    warnings.simplefilter('ignore')
    print('scikit-learn fit on %d x %d %s, %d classes, median of %d' % (x.shape + (x.dtype, len(set(y)), args.repeats)))
    for name, make in sklearn_bench_data.selected(CASES, args):
        seconds = []
        for _ in range(args.repeats):
            model = make()
            start = time.perf_counter()
            model.fit(x, y)
            seconds.append(time.perf_counter() - start)
        iterations = getattr(model, 'n_iter_', '')
        print('%-30s%8.3f s   n_iter_ %s' % (name, float(np.median(seconds)), np.max(iterations) if np.size(iterations) else ''),
              flush=True)


if __name__ == '__main__':
    main()
