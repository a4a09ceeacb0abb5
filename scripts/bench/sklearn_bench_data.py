"""Command line and data shared by the scikit-learn timing scripts: the folder that
`spotcheck-bench classifiers --dump FOLDER` wrote (x.npy, y.npy), --repeats and --only."""
import argparse
import os

import numpy as np


def load(doc):
    """Parses the command line; returns (args, x, y)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument('folder')
    parser.add_argument('--repeats', type=int, default=1)
    parser.add_argument('--only', nargs='*', default=[])
    args = parser.parse_args()
    x = np.load(os.path.join(args.folder, 'x.npy'))
    y = np.load(os.path.join(args.folder, 'y.npy'))
    return args, x, y


def selected(cases, args):
    """The (name, make) pairs of `cases` that --only keeps (all when it is empty)."""
    return [(name, make) for name, make in cases.items() if not args.only or name in args.only]
