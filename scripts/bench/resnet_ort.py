"""ONNX Runtime's speed on torchvision ResNet-50 (or, with --model, VGG-16 / DenseNet-121) with
the seeded weights of the framework tests (BENCHMARKS.md, torchvision ResNets / VGG and
DenseNet): the peer number for `spotcheck-bench model --model NAME`.

  prepare DIR   writes DIR/torch/hub/checkpoints/NAME-<sha256[:8]>.pth (torch.save of the
                seeded state dict, found by spotcheck with TORCH_HOME=DIR/torch) and DIR/NAME.onnx
                (the pooled-feature model, exported as ../shared/tools/peer_throughput.py
                does: TorchScript exporter, opset 17, dynamic batch), checked against torch.
                The pooled features are what spotcheck's forward measurement computes: ResNet
                and DenseNet without their classifier; VGG's global average of its last max
                pooling (512; the classifier is not run for features).
  time DIR      ONNX Runtime CPU, intra_op_num_threads=--threads, inter_op 1, ORT_ENABLE_ALL,
                batch --batch of random normal input: warm-up 3 calls, then calls for --seconds;
                prints images/s at the median call.

Run with the torchvision venv of scripts/fixtures/resnet_fixtures.py:
    ~/.cache/zoo-tv-venv/bin/python scripts/bench/resnet_ort.py prepare /tmp/resnet-bench
    ~/.cache/zoo-tv-venv/bin/python scripts/bench/resnet_ort.py time /tmp/resnet-bench --threads 2
    ~/.cache/zoo-tv-venv/bin/python scripts/bench/resnet_ort.py prepare /tmp/vgg-bench --model vgg16
"""
import argparse
import hashlib
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures'))


def pooled_model(name):
    """The untrained torchvision model `name` and its pooled-feature module (shares the weights)."""
    import torch
    import resnet_fixtures as rf
    rf.torchvision_models()
    from torchvision.models import densenet, resnet, vgg
    if name.startswith('vgg'):
        model = getattr(vgg, name)(weights=None).eval()

        class Pooled(torch.nn.Module):
            def __init__(self, features):
                super().__init__()
                self.features = features

            def forward(self, x):
                return self.features(x).mean(dim=(2, 3))
        return model, Pooled(model.features).eval()
    module = densenet if name.startswith('densenet') else resnet
    model = getattr(module, name)(weights=None).eval()
    return model, model


def prepare(folder, name):
    import torch
    import resnet_fixtures as rf
    model, pooled = pooled_model(name)
    state = rf.seeded_state_dict(model)
    hub = os.path.join(folder, 'torch', 'hub', 'checkpoints')
    os.makedirs(hub, exist_ok=True)
    tmp = os.path.join(hub, name + '.part')
    torch.save(state, tmp)
    digest = hashlib.sha256(open(tmp, 'rb').read()).hexdigest()
    os.replace(tmp, os.path.join(hub, '%s-%s.pth' % (name, digest[:8])))
    if pooled is model:
        if hasattr(model, 'fc'):
            model.fc = torch.nn.Identity()
        else:
            model.classifier = torch.nn.Identity()
    x = torch.randn(2, 3, 224, 224)
    path = os.path.join(folder, name + '.onnx')
    torch.onnx.export(pooled, (x,), path, dynamo=False, opset_version=17, input_names=['input'],
                      output_names=['features'], dynamic_axes={'input': {0: 'batch'}, 'features': {0: 'batch'}})
    import onnxruntime as ort
    with torch.inference_mode():
        expected = pooled(x).numpy()
    got = ort.InferenceSession(path, providers=['CPUExecutionProvider']).run(None, {'input': x.numpy()})[0]
    print('sha256', digest, 'features', got.shape[1],
          'max |ORT - torch| / max |torch|', float(np.abs(got - expected).max() / np.abs(expected).max()))


def time_ort(folder, name, threads, batch, seconds):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(os.path.join(folder, name + '.onnx'), options, providers=['CPUExecutionProvider'])
    x = np.random.default_rng(42).standard_normal((batch, 3, 224, 224)).astype(np.float32)
    for _ in range(3):
        session.run(None, {'input': x})
    calls = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        t = time.perf_counter()
        session.run(None, {'input': x})
        calls.append(time.perf_counter() - t)
    print('ort %s batch %d threads %d: %.2f img/s (median of %d calls), load %s'
          % (name, batch, threads, batch / statistics.median(calls), len(calls), os.getloadavg()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('action', choices=['prepare', 'time'])
    ap.add_argument('folder')
    ap.add_argument('--model', default='resnet50', choices=['resnet50', 'vgg16', 'densenet121'])
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--seconds', type=float, default=10)
    args = ap.parse_args()
    if args.action == 'prepare':
        prepare(args.folder, args.model)
    else:
        time_ort(args.folder, args.model, args.threads, args.batch, args.seconds)


if __name__ == '__main__':
    main()
