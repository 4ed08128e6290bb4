"""The same ranking model (model.onnx) served by LitServe for the benchmark: POST /predict with
{"features": [[...], ...]} (rows in the manifest's feature order) answers {"scores": [...]}.
onnxruntime CPU, one intra-op thread, one worker: the same resources as the TypeScript service.
  python litserve_server.py --model DIR/model.onnx --port 8000
"""
import argparse

import litserve as ls
import numpy as np
import onnxruntime as ort


class RankAPI(ls.LitAPI):
    def __init__(self, model_path):
        super().__init__()
        self.model_path = model_path

    def setup(self, device):
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(self.model_path, options, providers=["CPUExecutionProvider"])

    def decode_request(self, request):
        return np.asarray(request["features"], dtype=np.float32)

    def predict(self, x):
        return self.session.run(["score"], {"features": x})[0].reshape(-1)

    def encode_response(self, output):
        return {"scores": output.tolist()}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--port", type=int, default=8000)
    args = ap.parse_args()
    server = ls.LitServer(RankAPI(args.model), accelerator="cpu", workers_per_device=1, timeout=30)
    server.run(port=args.port, num_api_servers=1, log_level="warning", generate_client_file=False)
