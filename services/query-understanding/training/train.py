"""Step 2 of `npm run qu:train`: trains the category classifier and exports it to ONNX.

Model (fastText-style): the mean of hashed-feature embeddings (features computed by the serving code,
see src/domain/features.ts), then two softmax heads, lvl1 and lvl2 categories, trained together with
soft labels (a query's category distribution) and cross-entropy; Adam, fixed seed, fixed epochs.

ONNX graph: inputs `ids` int64 [batch, n] and `weights` float32 [batch, n] (padding: weight 0);
Gather(embedding fp16) -> Cast -> * weights -> ReduceSum over n -> MatMul+Add -> Softmax per head;
outputs `lvl1` [batch, C1] and `lvl2` [batch, C2]. The manifest holds the labels, the feature spec,
the versions and the probabilities of fixed inputs, which the TypeScript parity test reproduces.

Usage: train.py --work-dir DIR --model-dir DIR [--epochs 6] [--dim 64] [--seed 1]
"""
import argparse
import hashlib
import json
import os
import time

import numpy as np
import onnx
import scipy.sparse as sp
from onnx import TensorProto, helper, numpy_helper


def load(work_dir):
    with open(os.path.join(work_dir, "labels.json")) as f:
        meta = json.load(f)
    index1 = {label: i for i, label in enumerate(meta["lvl1"])}
    index2 = {label: i for i, label in enumerate(meta["lvl2"])}
    rows, cols, vals, weights = [], [], [], []
    y1_rows, y1_cols, y1_vals, y2_rows, y2_cols, y2_vals = [], [], [], [], [], []
    with open(os.path.join(work_dir, "examples.jsonl")) as f:
        for n, line in enumerate(f):
            ex = json.loads(line)
            rows.extend([n] * len(ex["ids"]))
            cols.extend(ex["ids"])
            vals.extend(ex["weights"])
            weights.append(ex["weight"])
            for label, p in ex["lvl1"]:
                y1_rows.append(n), y1_cols.append(index1[label]), y1_vals.append(p)
            for label, p in ex["lvl2"]:
                y2_rows.append(n), y2_cols.append(index2[label]), y2_vals.append(p)
    count = len(weights)
    buckets = meta["featureSpec"]["buckets"]
    x = sp.csr_matrix((np.array(vals, np.float32), (rows, cols)), shape=(count, buckets))
    y1 = sp.csr_matrix((np.array(y1_vals, np.float32), (y1_rows, y1_cols)), shape=(count, len(index1)))
    y2 = sp.csr_matrix((np.array(y2_vals, np.float32), (y2_rows, y2_cols)), shape=(count, len(index2)))
    return meta, x, y1, y2, np.array(weights, np.float32)


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class Adam:
    def __init__(self, params, lr):
        self.lr, self.t = lr, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, params, grads, lr):
        self.t += 1
        b1, b2 = 0.9, 0.999
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= lr * (m / (1 - b1**self.t)) / (np.sqrt(v / (1 - b2**self.t)) + 1e-8)


def train(x, y1, y2, weights, dim, epochs, seed, lr=0.01, batch=256):
    rng = np.random.default_rng(seed)
    buckets, c1, c2 = x.shape[1], y1.shape[1], y2.shape[1]
    emb = (rng.standard_normal((buckets, dim)) * 0.1).astype(np.float32)
    w1 = np.zeros((dim, c1), np.float32)
    b1 = np.zeros(c1, np.float32)
    w2 = np.zeros((dim, c2), np.float32)
    b2 = np.zeros(c2, np.float32)
    params = [emb, w1, b1, w2, b2]
    opt = Adam(params, lr)
    n = x.shape[0]
    steps = epochs * ((n + batch - 1) // batch)
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            xb = x[idx]
            wb = weights[idx][:, None]
            h = xb @ emb
            p1 = softmax(h @ w1 + b1)
            p2 = softmax(h @ w2 + b2)
            t1 = y1[idx].toarray()
            t2 = y2[idx].toarray()
            has2 = t2.sum(axis=1, keepdims=True)  # 0 where the example has no lvl2 label
            scale = wb / wb.sum()
            total += float(-(scale * t1 * np.log(p1 + 1e-9)).sum() - (scale * t2 * np.log(p2 + 1e-9)).sum())
            d1 = (p1 * t1.sum(axis=1, keepdims=True) - t1) * scale
            d2 = (p2 * has2 - t2) * scale
            dh = d1 @ w1.T + d2 @ w2.T
            grads = [np.asarray(xb.T @ dh, np.float32), h.T @ d1, d1.sum(axis=0), h.T @ d2, d2.sum(axis=0)]
            # Linear decay of the learning rate, as fastText does.
            opt.step(params, grads, lr * (1 - step / steps) + 1e-4)
            step += 1
        print(f"epoch {epoch + 1}/{epochs}: loss {total / ((n + batch - 1) // batch):.4f}", flush=True)
    return params


def forward(params, ids, weights):
    emb, w1, b1, w2, b2 = params
    emb16 = emb.astype(np.float16).astype(np.float32)
    h = (emb16[np.array(ids)] * np.array(weights, np.float32)[:, None]).sum(axis=0, keepdims=True)
    return softmax(h @ w1 + b1)[0], softmax(h @ w2 + b2)[0]


def export(params, meta, path):
    emb, w1, b1, w2, b2 = params
    inits = [
        numpy_helper.from_array(emb.astype(np.float16), "embedding"),
        numpy_helper.from_array(w1, "w1"),
        numpy_helper.from_array(b1, "b1"),
        numpy_helper.from_array(w2, "w2"),
        numpy_helper.from_array(b2, "b2"),
        numpy_helper.from_array(np.array([-1], np.int64), "last_axis"),
        numpy_helper.from_array(np.array([1], np.int64), "feature_axis"),
    ]
    nodes = [
        helper.make_node("Gather", ["embedding", "ids"], ["gathered16"], axis=0),
        helper.make_node("Cast", ["gathered16"], ["gathered"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["weights", "last_axis"], ["weights3"]),
        helper.make_node("Mul", ["gathered", "weights3"], ["weighted"]),
        helper.make_node("ReduceSum", ["weighted", "feature_axis"], ["hidden"], keepdims=0),
        helper.make_node("MatMul", ["hidden", "w1"], ["logits1_raw"]),
        helper.make_node("Add", ["logits1_raw", "b1"], ["logits1"]),
        helper.make_node("Softmax", ["logits1"], ["lvl1"], axis=-1),
        helper.make_node("MatMul", ["hidden", "w2"], ["logits2_raw"]),
        helper.make_node("Add", ["logits2_raw", "b2"], ["logits2"]),
        helper.make_node("Softmax", ["logits2"], ["lvl2"], axis=-1),
    ]
    graph = helper.make_graph(
        nodes,
        "category_classifier",
        [
            helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "n"]),
            helper.make_tensor_value_info("weights", TensorProto.FLOAT, ["batch", "n"]),
        ],
        [
            helper.make_tensor_value_info("lvl1", TensorProto.FLOAT, ["batch", len(meta["lvl1"])]),
            helper.make_tensor_value_info("lvl2", TensorProto.FLOAT, ["batch", len(meta["lvl2"])]),
        ],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="search-mesh qu training")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.time()
    meta, x, y1, y2, weights = load(args.work_dir)
    print(f"{x.shape[0]} examples, {x.shape[1]} buckets, {y1.shape[1]} lvl1, {y2.shape[1]} lvl2 labels", flush=True)
    params = train(x, y1, y2, weights, args.dim, args.epochs, args.seed)
    os.makedirs(args.model_dir, exist_ok=True)
    model_path = os.path.join(args.model_dir, "category.onnx")
    export(params, meta, model_path)
    with open(model_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]
    checks = []
    for check in meta["checks"]:
        p1, p2 = forward(params, check["ids"], check["weights"])
        top1, top2 = np.argsort(-p1)[:3], np.argsort(-p2)[:3]
        checks.append({
            "text": check["text"],
            "lvl1": [[meta["lvl1"][i], round(float(p1[i]), 6)] for i in top1],
            "lvl2": [[meta["lvl2"][i], round(float(p2[i]), 6)] for i in top2],
        })
    manifest = {
        "version": f"category-{digest}",
        "model": "category.onnx",
        "featureSpec": meta["featureSpec"],
        "lexicon": meta["lexicon"],
        "labels": {"lvl1": meta["lvl1"], "lvl2": meta["lvl2"]},
        "training": {"examples": int(x.shape[0]), "epochs": args.epochs, "dim": args.dim, "seed": args.seed},
        "checks": checks,
    }
    with open(os.path.join(args.model_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"wrote {model_path} ({os.path.getsize(model_path)} bytes), manifest {manifest['version']} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
