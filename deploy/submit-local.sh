#!/usr/bin/env bash
# spark-submit on this machine (local[*]): the cluster jar and conf/spark-local.conf, e.g. to try the
# packaging before a cluster run. Arguments are segment's: --input URI --output URI [--model ...]
#   deploy/submit-local.sh --input sample-data --output out
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_jar
split_args "$@" # spark-submit options before `--`, segment's after it (as submit-standalone.sh)
# local mode: the tasks run in this JVM, so the allocator settings the cluster confs give executors go here
# (bin/nucleispark explains them)
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}" MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}" \
  MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-268435456}"
exec "$SPARK_SUBMIT" --master "${MASTER:-local[*]}" --properties-file "$root/conf/spark-local.conf" "${submit_opts[@]}" \
  --class org.nucleispark.job.Main "$JAR" segment "${job_args[@]}"
