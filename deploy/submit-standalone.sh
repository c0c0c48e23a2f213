#!/usr/bin/env bash
# spark-submit to a Spark standalone cluster.
#   SPARK_MASTER_URL=spark://head:7077 deploy/submit-standalone.sh --input s3a://b/in --output s3a://b/out
# GPU executors: NUCLEISPARK_GPU_TASKS_PER_GPU=4 (4 tasks share each GPU). Standalone workers must
# advertise their GPUs, in each worker's conf/spark-defaults.conf (or SPARK_WORKER_OPTS):
#   spark.worker.resource.gpu.amount          <GPUs on the node>
#   spark.worker.resource.gpu.discoveryScript /opt/nucleispark/deploy/gpu-discovery.sh
# and the same script must exist at the executor path below on every worker.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_jar
: "${SPARK_MASTER_URL:?set SPARK_MASTER_URL, e.g. spark://head:7077}"
discovery=()
if ((${#gpu_conf[@]})); then
  discovery=(--conf "spark.executor.resource.gpu.discoveryScript=${GPU_DISCOVERY_SCRIPT:-/opt/nucleispark/deploy/gpu-discovery.sh}")
fi
exec "$SPARK_SUBMIT" --master "$SPARK_MASTER_URL" --deploy-mode "${DEPLOY_MODE:-client}" \
  --properties-file "$root/conf/spark-standalone.conf" "${gpu_conf[@]}" "${discovery[@]}" \
  ${NUCLEISPARK_S3_PACKAGES:+--packages "$NUCLEISPARK_S3_PACKAGES"} \
  --class org.nucleispark.job.Main "$JAR" segment "$@"
