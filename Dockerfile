# One image per service from one Dockerfile:
#   docker build --build-arg SERVICE=ranking -t search-mesh/ranking:0.1.0 .
# GPU ranking (ONNX Runtime's CUDA execution provider; run on a CUDA 12 + cuDNN 9 node):
#   docker build --build-arg SERVICE=ranking --build-arg ONNXRUNTIME_INSTALL=cuda12 -t search-mesh/ranking:0.1.0-cuda12 .
# The services run from TypeScript with tsx (as `npm start` does), as user 10001, with a read-only root
# filesystem in the Helm charts: tsx's compile cache goes to /tmp, an emptyDir there.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ARG ONNXRUNTIME_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
# Fixes applied to dependencies after install (patch-package, the postinstall script)
COPY patches ./patches
COPY libs ./libs
COPY services ./services
RUN npm ci --no-audit --no-fund --onnxruntime-node-install=${ONNXRUNTIME_INSTALL} \
 && npm cache clean --force

FROM ${NODE_IMAGE}
ARG SERVICE
RUN test -n "${SERVICE}" || (echo "build with --build-arg SERVICE=<service>" >&2; exit 1)
ENV NODE_ENV=production \
    SEARCH_MESH_SERVICE=${SERVICE}
WORKDIR /app
COPY --from=deps --chown=root:root /app /app
RUN test -f "services/${SERVICE}/src/server.ts"
USER 10001:10001
WORKDIR /app/services/${SERVICE}
EXPOSE 8080-8085
# Probes: GET /healthz (liveness) and /readyz (readiness) on the service's port.
CMD ["node", "--import", "tsx", "src/server.ts"]
