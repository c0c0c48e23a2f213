#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript, and
# spark.worker.resource.gpu.discoveryScript on standalone workers): prints the GPUs this process may use
# as Spark's ResourceInformation JSON, e.g. {"name": "gpu", "addresses": ["0","1"]}.
# Honours CUDA_VISIBLE_DEVICES (YARN and Kubernetes device plugins set it), so an executor is offered
# only the devices its container was given. Needs nvidia-smi on the node.
set -euo pipefail
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-discovery: nvidia-smi not found on $(hostname); is the NVIDIA driver installed?" >&2
  exit 1
fi
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader,nounits | tr -d ' ')
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" && "${CUDA_VISIBLE_DEVICES}" != "all" ]]; then
  # with CUDA_VISIBLE_DEVICES=3,5 the process sees devices 0 and 1: CUDA renumbers the visible ones
  n=$(tr ',' '\n' <<<"$CUDA_VISIBLE_DEVICES" | grep -c .)
  addresses=$(seq 0 $((n - 1)))
fi
json=$(sed 's/.*/"&"/' <<<"$addresses" | paste -sd, -)
echo "{\"name\": \"gpu\", \"addresses\": [${json}]}"
