#!/usr/bin/env python3
"""Time scikit-learn's estimators for the families of ClassifierBench+Families.swift (and, with
--grid cookbook, the cookbook's whole grid) on the data of `spotcheck-bench classifiers`.

First dump the benchmark data, then time scikit-learn on it in the same window:
    .build/release/spotcheck-bench classifiers --dump /tmp/bench-data [--rows 10000 --dim 1280]
    ~/.cache/spotcheck-reference/venv/bin/python scripts/bench/sklearn_families_fit_times.py /tmp/bench-data \
        [--repeats 1] [--only SVC GaussianNB ...] [--grid cookbook]

Each case, like ours, fits on a stratified 80 % of the rows and predicts the other 20 % inside the
timed call (scikit-learn's split, random_state=42), with a StandardScaler first where the grid
standardises (the linear models, SVC, MLP). Estimators keep scikit-learn's defaults, except the
grid's n_estimators=100 for Bagging and AdaBoost and early_stopping=False for
HistGradientBoosting; n_jobs is left at its default (one core) where it exists, as the cookbook
ran them. Prints the median wall seconds, the median CPU seconds of the process (all threads) and
the test accuracy per case, then their totals.
"""
import time
import warnings

import numpy as np
import sklearn_bench_data
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.ensemble import (AdaBoostClassifier, BaggingClassifier, ExtraTreesClassifier, GradientBoostingClassifier,
                              HistGradientBoostingClassifier, RandomForestClassifier)
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier, ExtraTreeClassifier


def scaled(model):
    return lambda: make_pipeline(StandardScaler(), model())


FAMILIES = {
    'DecisionTreeClf': lambda: DecisionTreeClassifier(random_state=42),
    'ExtraTreeClf': lambda: ExtraTreeClassifier(random_state=42),
    'BaggingClf-100': lambda: BaggingClassifier(n_estimators=100, random_state=42),
    'AdaBoostClf-100': lambda: AdaBoostClassifier(n_estimators=100, random_state=42),
    'GradientBoostingClf-100': lambda: GradientBoostingClassifier(random_state=42),
    'HistGradientBoostingClf': lambda: HistGradientBoostingClassifier(early_stopping=False, random_state=42),
    'SVC': scaled(SVC),
    'MLPClf': scaled(lambda: MLPClassifier(random_state=42)),
    'GaussianNB': lambda: GaussianNB(),
    'LDA': lambda: LinearDiscriminantAnalysis(),
}

# The 100-round ensembles cut to 10 rounds (`spotcheck-bench classifiers --only` takes the same
# names as classifier specs): on the wide shape scikit-learn's 100 take from 40 minutes to hours;
# every round (stage) grows the same kind of trees on the same rows, so the ratio carries over.
REDUCED = {
    'BaggingClf-10': lambda: BaggingClassifier(n_estimators=10, random_state=42),
    'GradientBoostingClf-10': lambda: GradientBoostingClassifier(n_estimators=10, random_state=42),
    'HistGradientBoostingClf:max_iter=10': lambda: HistGradientBoostingClassifier(max_iter=10, early_stopping=False,
                                                                                  random_state=42),
}

# The cookbook's 40 entries as `spotcheck run --grid cookbook` makes them (names as in its report).
COOKBOOK = {
    'AdaBoostClf-100': FAMILIES['AdaBoostClf-100'], 'BaggingClf-100': FAMILIES['BaggingClf-100'],
    'DecisionTreeClf': FAMILIES['DecisionTreeClf'], 'ExtraTreeClf': FAMILIES['ExtraTreeClf'],
    'ExtraTreesClf-100': lambda: ExtraTreesClassifier(random_state=42),
    'GradientBoostingClf-100': FAMILIES['GradientBoostingClf-100'],
    **{'KNeighborsClf-%d' % k: (lambda k=k: KNeighborsClassifier(k)) for k in range(3, 25)},
    **{'LinearSVC-%g' % c: scaled(lambda c=c: LinearSVC(C=c)) for c in (0.001, 0.01, 1, 10)},
    'LogisticRegression': scaled(LogisticRegression),
    'PAClf': scaled(lambda: SGDClassifier(loss='hinge', penalty=None, learning_rate='pa1', eta0=1.0, random_state=42)),
    'RandomForestClf-100': lambda: RandomForestClassifier(random_state=42),
    **{'RidgeClf-%g' % a: scaled(lambda a=a: RidgeClassifier(alpha=a)) for a in (0.001, 0.01, 1, 10)},
    'SGDClf': scaled(lambda: SGDClassifier(random_state=42)),
}


def main():
    import sys
    grid = '--grid' in sys.argv and sys.argv[sys.argv.index('--grid') + 1] == 'cookbook'
    if '--grid' in sys.argv:
        i = sys.argv.index('--grid')
        del sys.argv[i:i + 2]
    args, x, y = sklearn_bench_data.load(__doc__)
    warnings.simplefilter('ignore')
    cases = COOKBOOK if grid else {**FAMILIES, **REDUCED}
    print('scikit-learn on %d x %d %s, %d classes, median of %d' % (x.shape + (x.dtype, len(set(y)), args.repeats)))
    total = total_cpu = 0.0
    for name, make in sklearn_bench_data.selected(cases, args):
        seconds, cpu = [], []
        for _ in range(args.repeats):
            model = make()
            start, start_cpu = time.perf_counter(), time.process_time()
            xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, stratify=y, random_state=42)
            model.fit(xtr, ytr)
            accuracy = float(np.mean(model.predict(xte) == yte))
            seconds.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        total += float(np.median(seconds))
        total_cpu += float(np.median(cpu))
        print('%-30s %8.3f s  (cpu %.3f s)   fit 80 %% + predict 20 %%, test accuracy %.3f'
              % (name, float(np.median(seconds)), float(np.median(cpu)), accuracy), flush=True)
    print('%-30s%8.3f s  (cpu %.3f s)' % ('total', total, total_cpu))


if __name__ == '__main__':
    main()
