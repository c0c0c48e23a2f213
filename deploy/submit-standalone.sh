#!/usr/bin/env bash
# spark-submit to a Spark standalone cluster.
#   SPARK_MASTER_URL=spark://head:7077 deploy/submit-standalone.sh --input s3a://b/in --output s3a://b/out
# spark-submit options go before `--` (or in NUCLEISPARK_SUBMIT_OPTS), segment's arguments after it:
#   SPARK_MASTER_URL=spark://head:7077 deploy/submit-standalone.sh --executor-cores 1 --executor-memory 2g \
#     -- --input s3a://b/in --output s3a://b/out --models-dir s3a://b/models
# DEPLOY_MODE=cluster runs the driver on a worker too; this script then waits for it
# (spark.standalone.submit.waitAppCompletion) and exits non-zero unless the driver FINISHED: Spark's own
# client exits 0 whatever the driver's fate.
# Before submitting, the master's JSON (SPARK_MASTER_WEBUI_URL, default http://<master host>:8080) is
# asked for its workers: an executor (or cluster-mode driver) larger than every worker would wait
# forever ("Initial job has not accepted any resources"), so the script stops and says what to pass.
# GPU executors: NUCLEISPARK_GPU_TASKS_PER_GPU=4 (4 tasks share each GPU). Standalone workers must
# advertise their GPUs, in each worker's conf/spark-defaults.conf (or SPARK_WORKER_OPTS):
#   spark.worker.resource.gpu.amount          <GPUs on the node>
#   spark.worker.resource.gpu.discoveryScript /opt/nucleispark/deploy/gpu-discovery.sh
# and the same script must exist at the executor path below on every worker.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_jar
: "${SPARK_MASTER_URL:?set SPARK_MASTER_URL, e.g. spark://head:7077}"
split_args "$@"
props="${NUCLEISPARK_PROPERTIES:-$root/conf/spark-standalone.conf}"
mode="${DEPLOY_MODE:-client}"
discovery=()
if ((${#gpu_conf[@]})); then
  discovery=(--conf "spark.executor.resource.gpu.discoveryScript=${GPU_DISCOVERY_SCRIPT:-/opt/nucleispark/deploy/gpu-discovery.sh}")
fi

# MB of a JVM memory string (4g, 512m, 2048k)
to_mb() {
  local v="${1,,}"
  case "$v" in
    *t) echo $((${v%t} * 1024 * 1024)) ;; *g) echo $((${v%g} * 1024)) ;; *m) echo "${v%m}" ;;
    *k) echo $((${v%k} / 1024)) ;; *) echo $((v / 1024 / 1024)) ;;
  esac
}

preflight() {
  command -v curl >/dev/null && command -v python3 >/dev/null || return 0
  local host="${SPARK_MASTER_URL#spark://}"; host="${host%%,*}"; host="${host%:*}"
  local url="${SPARK_MASTER_WEBUI_URL:-http://$host:8080}"
  local json
  json=$(curl -fsSL --max-time 5 "$url/json" 2>/dev/null) || { echo "submit-standalone: cannot read $url/json; not checking worker sizes" >&2; return 0; }
  local largest
  largest=$(python3 -c '
import json, sys
ws = [w for w in json.load(sys.stdin).get("workers", []) if w.get("state") == "ALIVE"]
print(max((w["cores"] for w in ws), default=0), max((w["memory"] for w in ws), default=0), len(ws))' <<<"$json")
  local wcores wmem nworkers
  read -r wcores wmem nworkers <<<"$largest"
  if ((nworkers == 0)); then
    echo "submit-standalone: the master at $url has no ALIVE workers; start workers (sbin/start-worker.sh $SPARK_MASTER_URL)" >&2
    exit 2
  fi
  local cores mem
  cores=$(effective_setting --executor-cores spark.executor.cores "$wcores" "$props")
  mem=$(to_mb "$(effective_setting --executor-memory spark.executor.memory 1g "$props")")
  if ((cores > wcores || mem > wmem)); then
    echo "submit-standalone: executors of $cores cores and ${mem} MB fit no worker (the largest of $nworkers offers $wcores cores, $wmem MB);" \
      "pass e.g. --executor-cores $wcores --executor-memory $((wmem * 3 / 4 / 1024 > 0 ? wmem * 3 / 4 / 1024 : 1))g before --, or edit $props" >&2
    exit 2
  fi
  if [[ "$mode" == cluster ]]; then
    local dcores dmem
    dcores=$(effective_setting --driver-cores spark.driver.cores 1 "$props")
    dmem=$(to_mb "$(effective_setting --driver-memory spark.driver.memory 1g "$props")")
    if ((dcores > wcores || dmem > wmem)); then
      echo "submit-standalone: a cluster-mode driver of $dcores cores and ${dmem} MB fits no worker (largest: $wcores cores, $wmem MB);" \
        "pass e.g. --driver-memory 1g before --" >&2
      exit 2
    fi
  fi
}
[[ "${NUCLEISPARK_SKIP_PREFLIGHT:-}" == 1 ]] || preflight

cmd=("$SPARK_SUBMIT" --master "$SPARK_MASTER_URL" --deploy-mode "$mode"
  --properties-file "$props" "${gpu_conf[@]}" "${discovery[@]}"
  ${NUCLEISPARK_S3_PACKAGES:+--packages "$NUCLEISPARK_S3_PACKAGES"})
if [[ "$mode" != cluster ]]; then
  exec "${cmd[@]}" "${submit_opts[@]}" --class org.nucleispark.job.Main "$JAR" segment "${job_args[@]}"
fi

# cluster mode: wait for the driver, and turn its final state into our exit status
log=$(mktemp "${TMPDIR:-/tmp}/nucleispark-submit.XXXXXX")
trap 'rm -f "$log"' EXIT
set +e
"${cmd[@]}" --conf spark.standalone.submit.waitAppCompletion=true "${submit_opts[@]}" \
  --class org.nucleispark.job.Main "$JAR" segment "${job_args[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
((rc == 0)) || exit "$rc"
# ClientEndpoint logs "State of driver driver-2026...-0000 is FAILED, exiting spark-submit JVM."
state=$(sed -n 's/.*State of driver \(driver-[0-9-]*\) is \([A-Z]*\).*/\2/p' "$log" | tail -1)
driver=$(grep -o 'driver-[0-9]*-[0-9]*' "$log" | tail -1 || true)
echo "submit-standalone: driver ${driver:-?} ended ${state:-in an unknown state}" >&2
case "$state" in
  FINISHED) exit 0 ;;
  *) echo "submit-standalone: the driver did not finish cleanly; its log is stderr under the worker's work/$driver/" >&2; exit 1 ;;
esac
