# Shared by the submit-*.sh scripts: where the jar is, and the GPU settings.
# shellcheck shell=bash
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
JAR="${NUCLEISPARK_JAR:-$root/target/nucleispark-cluster.jar}"
SPARK_SUBMIT="${SPARK_SUBMIT:-spark-submit}"

need_jar() {
  # a remote jar (s3a://, hdfs://, https://) is fetched by Spark itself
  if [[ "$JAR" != *://* && ! -f "$JAR" ]]; then
    echo "no $JAR; build it with: mvn -Pcluster -DskipTests package   (add ,gpu for GPU executors)" >&2
    exit 2
  fi
}

# GPU executors when NUCLEISPARK_GPU_TASKS_PER_GPU is set (e.g. 4): one GPU per executor, that many
# concurrent tasks on it. Spark only accepts task amounts that divide 1 evenly (1, 0.5, 0.25, 0.125 ...).
gpu_conf=()
if [[ -n "${NUCLEISPARK_GPU_TASKS_PER_GPU:-}" ]]; then
  tasks="$NUCLEISPARK_GPU_TASKS_PER_GPU"
  share=$(awk -v n="$tasks" 'BEGIN { printf "%.6g", 1 / n }')
  gpu_conf=(
    --conf spark.executor.resource.gpu.amount=1
    --conf "spark.task.resource.gpu.amount=$share"
    --conf "spark.executor.cores=$tasks"
    --conf spark.executor.resource.gpu.vendor=nvidia.com
  )
fi
