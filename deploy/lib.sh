# Shared by the submit-*.sh scripts: where the jar is, the GPU settings, and the command line split.
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

# The command line: spark-submit options, then `--`, then segment's arguments, e.g.
#   deploy/submit-standalone.sh --executor-cores 1 --executor-memory 2g -- --input s3a://b/in --output s3a://b/out
# Without `--` every argument is segment's. NUCLEISPARK_SUBMIT_OPTS (split on spaces) adds options
# before the command line's. Options given here come after the conf file's and the script's, so they win.
submit_opts=()
job_args=()
split_args() {
  if [[ -n "${NUCLEISPARK_SUBMIT_OPTS:-}" ]]; then
    read -r -a submit_opts <<<"$NUCLEISPARK_SUBMIT_OPTS"
  fi
  local a seen=0
  for a in "$@"; do [[ "$a" == "--" ]] && seen=1; done
  if ((seen)); then
    while (($#)) && [[ "$1" != "--" ]]; do submit_opts+=("$1"); shift; done
    shift
  fi
  job_args=("$@")
}

# The value an option of spark-submit will take: the last of --flag V / --conf key=V in the options,
# else the properties file's, else $3. Usage: effective_setting --executor-cores spark.executor.cores 1 conf
effective_setting() {
  local flag="$1" key="$2" value="$3" props="$4" i
  if [[ -f "$props" ]]; then
    local v
    v=$(awk -v k="$key" '$1 == k { $1 = ""; sub(/^[ \t]+/, ""); print }' "$props" | tail -1)
    [[ -n "$v" ]] && value="$v"
  fi
  for ((i = 0; i < ${#submit_opts[@]}; i++)); do
    case "${submit_opts[i]}" in
      "$flag") value="${submit_opts[i + 1]:-}" ;;
      "$flag="*) value="${submit_opts[i]#*=}" ;;
      --conf) [[ "${submit_opts[i + 1]:-}" == "$key="* ]] && value="${submit_opts[i + 1]#*=}" ;;
      --conf="$key="*) value="${submit_opts[i]#--conf=$key=}" ;;
    esac
  done
  echo "$value"
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
