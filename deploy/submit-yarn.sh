#!/usr/bin/env bash
# spark-submit to YARN (cluster deploy mode: the driver runs in the cluster too).
#   deploy/submit-yarn.sh --input s3a://b/in --output s3a://b/out
# GPU executors: NUCLEISPARK_GPU_TASKS_PER_GPU=4. YARN must schedule GPUs (resource type yarn.io/gpu,
# Hadoop 3.1+); Spark maps spark.executor.resource.gpu.amount onto it. The discovery script travels
# with the job (--files) and runs in the executor's container, where YARN's CUDA_VISIBLE_DEVICES applies.
# spark-submit options go before `--` (or in NUCLEISPARK_SUBMIT_OPTS), segment's arguments after it:
#   deploy/submit-yarn.sh --queue batch --executor-cores 2 -- --input s3a://b/in --output s3a://b/out
# Exit status: in cluster mode spark-submit waits for the application (spark.yarn.submit.waitAppCompletion,
# true by default) and exits non-zero when YARN reports it FAILED or KILLED, e.g. a driver exit 2.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_jar
split_args "$@"
extra=()
if ((${#gpu_conf[@]})); then
  extra=(--files "$here/gpu-discovery.sh" --conf spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh)
fi
exec "$SPARK_SUBMIT" --master yarn --deploy-mode "${DEPLOY_MODE:-cluster}" \
  --properties-file "$root/conf/spark-yarn.conf" "${gpu_conf[@]}" "${extra[@]}" \
  ${NUCLEISPARK_S3_PACKAGES:+--packages "$NUCLEISPARK_S3_PACKAGES"} "${submit_opts[@]}" \
  --class org.nucleispark.job.Main "$JAR" segment "${job_args[@]}"
