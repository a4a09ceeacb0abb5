"""ONNX Runtime's speed on a torchvision network (ResNet-50 by default; --model picks another of
MODELS) with the seeded weights of its tests (BENCHMARKS.md, torchvision ResNets, VGG and DenseNet,
EfficientNet-B0, ConvNeXt-Tiny):
the peer number for `spotcheck-bench model --model NAME`.

  prepare DIR   writes DIR/torch/hub/checkpoints/<torch hub prefix>-<sha256[:8]>.pth (torch.save of
                the seeded state dict, found by spotcheck with TORCH_HOME=DIR/torch) and DIR/NAME.onnx
                (the pooled-feature model, its classifier removed, exported as
                ../shared/tools/peer_throughput.py does: TorchScript exporter, opset 17, dynamic
                batch), checked against torch.
  time DIR      ONNX Runtime CPU, intra_op_num_threads=--threads, inter_op 1, ORT_ENABLE_ALL,
                batch --batch of random normal input: warm-up 3 calls, then calls for --seconds;
                prints images/s at the median call.

Run with the torchvision venv of scripts/fixtures/seeded_torchvision.py:
    ~/.cache/zoo-tv-venv/bin/python scripts/bench/resnet_ort.py prepare /tmp/resnet-bench
    ~/.cache/zoo-tv-venv/bin/python scripts/bench/resnet_ort.py time /tmp/resnet-bench --threads 2
"""
import argparse
import hashlib
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures'))

# name: (torchvision module, torch hub prefix, input side, the classifier attribute, convolution
# gain of the seeded weights as in the model's fixture script)
MODELS = {
    'resnet50': ('resnet', 'resnet50', 224, 'fc', 1.0),
    'efficientnet_b0': ('efficientnet', 'efficientnet_b0_rwightman', 224, 'classifier', 0.9),
    'mobilenet_v3_large': ('mobilenetv3', 'mobilenet_v3_large', 224, 'classifier', 1.0),
    'vgg16': ('vgg', 'vgg16', 224, None, 1.0),
    'densenet121': ('densenet', 'densenet121', 224, 'classifier', 1.0),
    'convnext_tiny': ('convnext', 'convnext_tiny', 224, 'classifier.2', 1.0),
    'regnet_y_400mf': ('regnet', 'regnet_y_400mf', 224, 'fc', 0.8),
    'regnet_y_1_6gf': ('regnet', 'regnet_y_1_6gf', 224, 'fc', 0.8),
}


def pooled_features(model, head):
    """The module spotcheck's forward measurement computes: the model without its classifier (a
    dotted head such as ConvNeXt's `classifier.2` replaces only that layer: its layer-normed pooled
    feature stays), or (VGG, head None) the global average of its last max pooling (512; the
    classifier is not run)."""
    import torch
    if head is not None:
        parent, _, child = head.rpartition('.')
        setattr(model.get_submodule(parent), child, torch.nn.Identity())
        return model

    class Pooled(torch.nn.Module):
        def __init__(self, features):
            super().__init__()
            self.features = features

        def forward(self, x):
            return self.features(x).mean(dim=(2, 3))
    return Pooled(model.features).eval()


def prepare(folder, name):
    import torch
    import seeded_torchvision as st
    module_name, prefix, size, head, gain = MODELS[name]
    module, _ = st.torchvision_module(module_name)
    model = getattr(module, name)(weights=None).eval()
    state = st.seeded_state_dict(model, gain)
    hub = os.path.join(folder, 'torch', 'hub', 'checkpoints')
    os.makedirs(hub, exist_ok=True)
    tmp = os.path.join(hub, name + '.part')
    torch.save(state, tmp)
    digest = hashlib.sha256(open(tmp, 'rb').read()).hexdigest()
    os.replace(tmp, os.path.join(hub, '%s-%s.pth' % (prefix, digest[:8])))
    model = pooled_features(model, head)
    x = torch.randn(2, 3, size, size)
    path = os.path.join(folder, name + '.onnx')
    torch.onnx.export(model, (x,), path, dynamo=False, opset_version=17, input_names=['input'],
                      output_names=['features'], dynamic_axes={'input': {0: 'batch'}, 'features': {0: 'batch'}})
    import onnxruntime as ort
    with torch.inference_mode():
        expected = model(x).numpy()
    got = ort.InferenceSession(path, providers=['CPUExecutionProvider']).run(None, {'input': x.numpy()})[0]
    print('sha256', digest, 'max |ORT - torch| / max |torch|', float(np.abs(got - expected).max() / np.abs(expected).max()))


def time_ort(folder, name, threads, batch, seconds):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(os.path.join(folder, name + '.onnx'), options, providers=['CPUExecutionProvider'])
    size = MODELS[name][2]
    x = np.random.default_rng(42).standard_normal((batch, 3, size, size)).astype(np.float32)
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
    ap.add_argument('--model', choices=sorted(MODELS), default='resnet50')
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
