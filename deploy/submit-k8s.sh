#!/usr/bin/env bash
# spark-submit to Kubernetes. The image is Spark's own plus the jar and the discovery script, built
# from deploy/k8s/Dockerfile; the jar path below is inside that image (local://).
#   K8S_API=https://k8s.example:6443 IMAGE=registry.example/nucleispark:0.1.0 \
#     deploy/submit-k8s.sh --input s3a://b/in --output s3a://b/out
# GPU executors: NUCLEISPARK_GPU_TASKS_PER_GPU=4; each executor pod then requests one nvidia.com/gpu
# (the NVIDIA device plugin must run on the GPU nodes).
# spark-submit options go before `--` (or in NUCLEISPARK_SUBMIT_OPTS), segment's arguments after it.
# Exit status: spark-submit waits for the driver pod (spark.kubernetes.submission.waitAppCompletion, true
# by default) but exits 0 however the pod ended, so this script reads the driver container's exit code
# from spark-submit's pod status log and exits with it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
split_args "$@"
: "${K8S_API:?set K8S_API, e.g. https://k8s.example:6443}"
: "${IMAGE:?set IMAGE to an image built from deploy/k8s/Dockerfile}"
extra=()
if ((${#gpu_conf[@]})); then
  extra=(--conf spark.executor.resource.gpu.discoveryScript=/opt/nucleispark/gpu-discovery.sh)
fi
log=$(mktemp "${TMPDIR:-/tmp}/nucleispark-submit.XXXXXX")
trap 'rm -f "$log"' EXIT
set +e
"$SPARK_SUBMIT" --master "k8s://$K8S_API" --deploy-mode cluster \
  --properties-file "$root/conf/spark-k8s.conf" "${gpu_conf[@]}" "${extra[@]}" \
  --conf "spark.kubernetes.container.image=$IMAGE" \
  --conf "spark.kubernetes.namespace=${K8S_NAMESPACE:-default}" \
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=${K8S_SERVICE_ACCOUNT:-spark}" \
  --conf "spark.executor.instances=${EXECUTORS:-2}" \
  "${submit_opts[@]}" \
  --class org.nucleispark.job.Main local:///opt/nucleispark/nucleispark-cluster.jar segment "${job_args[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
((rc == 0)) || exit "$rc"
# LoggingPodStatusWatcher prints the driver container's state, e.g. "exit code: 2"
code=$(grep -io 'exit code: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
if [[ -n "$code" && "$code" != 0 ]]; then
  echo "submit-k8s: the driver pod exited with $code" >&2
  exit "$code"
fi
