"""River's speed on the files `spotcheck-bench incremental` measures (BENCHMARKS.md, Incremental learning).

Times, on the first N rows of a CSV (header `class,feature_0,…`), river's CSV reading alone
and river's progressive validation of `StandardScaler() | OneVsRestClassifier(LogisticRegression())`
(predict_one, learn_one), reporting rows per second of process CPU time, like the Swift bench.

Run: /root/.cache/spotcheck/river-venv/bin/python scripts/bench/river_incremental.py FILE.csv N
"""
import itertools
import sys
import time

from river import linear_model, multiclass, preprocessing, stream


def rows(path, n):
    header = open(path).readline().strip().split(",")
    converters = {c: float for c in header if c != "class"}
    return itertools.islice(stream.iter_csv(path, target="class", converters=converters), n)


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    start = time.process_time()
    count = sum(1 for _ in rows(path, n))
    parse = count / (time.process_time() - start)
    model = preprocessing.StandardScaler() | multiclass.OneVsRestClassifier(linear_model.LogisticRegression())
    correct = 0
    start = time.process_time()
    for x, y in rows(path, n):
        correct += model.predict_one(x) == y
        model.learn_one(x, y)
    learn = count / (time.process_time() - start)
    print("river on %s (%d rows): parse only %.1f rows/s, end to end %.1f rows/s, accuracy %.2f%%"
          % (path, count, parse, learn, 100 * correct / count))


if __name__ == "__main__":
    main()
