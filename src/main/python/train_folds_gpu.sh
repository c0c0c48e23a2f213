#!/usr/bin/env bash
# Train every fold of the U-Net and the Mask R-CNN at once on one GPU machine, in the background,
# so that the work outlives the shell command that starts it (the device tool's commands are capped
# at 10 minutes; its machine stays up between calls made in quick succession).
#
#   train_folds_gpu.sh start <packed dsb dir> <minutes>   unpack, build the sample cache, launch 8 runs
#   train_folds_gpu.sh wait <seconds>                      until every run ends or <seconds> pass; log tails
#   train_folds_gpu.sh collect unet|maskrcnn               slim best checkpoints (+ logs) into $WORK/out,
#                                                          Mask R-CNN as float16 in 3 parts of ~12 MB (cat to join)
#
# Epoch counts are upper bounds: --fit-epochs lowers them after the first evaluation to what the
# budget holds, so every fold's learning rate decays fully even when the machine is slower than hoped.
# UNET_ARGS / MASKRCNN_ARGS add options to every run of that model, e.g.
#   MASKRCNN_ARGS="--canonical --generalise --histology-input grey" (the canonical-input Mask R-CNN trained on the
#   grey histology plane it is served, docs/training.md; UNET_ARGS the same for the U-Net).
set -euo pipefail
cd "$(dirname "$0")"
WORK=${NUCLEISPARK_GPU_WORK:-/tmp/nucleispark-gpu}
UNET_EPOCHS=${UNET_EPOCHS:-80}
MASKRCNN_EPOCHS=${MASKRCNN_EPOCHS:-30}
PY=${PYTHON:-python3}
DEVICE=${DEVICE:-cuda}

case "${1:-}" in
start)
  packed=$2 minutes=$3
  mkdir -p "$WORK/log"
  $PY -m nucleispark_train.pack unpack --packed "$packed" --out "$WORK/dsb"
  $PY -c "from nucleispark_train import data; data.warm_cache('$WORK/dsb', data.list_ids('$WORK/dsb'), workers=16)"
  for k in 0 1 2 3; do
    setsid nohup $PY -m nucleispark_train.train_unet --fold $k --data "$WORK/dsb" --device "$DEVICE" --threads 2 \
      --epochs "$UNET_EPOCHS" --minutes "$minutes" --fit-epochs --eval-every 10 ${UNET_ARGS:-} \
      --checkpoint-dir "$WORK/ckpt/unet/fold$k" > "$WORK/log/unet$k.log" 2>&1 < /dev/null &
    setsid nohup $PY -m nucleispark_train.train_maskrcnn --fold $k --data "$WORK/dsb" --device "$DEVICE" --threads 2 \
      --epochs "$MASKRCNN_EPOCHS" --minutes "$minutes" --fit-epochs --eval-every 3 ${MASKRCNN_ARGS:-} \
      --checkpoint-dir "$WORK/ckpt/maskrcnn/fold$k" > "$WORK/log/maskrcnn$k.log" 2>&1 < /dev/null &
  done
  sleep "${START_WATCH_SECONDS:-60}"
  tail -n 4 "$WORK"/log/*.log
  nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv || true
  ;;
wait)
  deadline=$(( $(date +%s) + $2 ))
  while pgrep -f "nucleispark_train.train_" > /dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 10; done
  for f in "$WORK"/log/*.log; do echo "== $f"; grep -E "fit-epochs|val_map|done:|Error|error" "$f" | tail -n 6; tail -n 1 "$f"; done
  nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv || true
  ;;
collect)
  model=$2 out=$WORK/out
  mkdir -p "$out"
  for k in 0 1 2 3; do
    if [ "$model" = maskrcnn ]; then
      $PY -m nucleispark_train.slim "$WORK/ckpt/$model/fold$k/best.pt" "$WORK/${model}_fold$k.pt" --half
      split -n 3 -d "$WORK/${model}_fold$k.pt" "$out/${model}_fold$k.pt.part"
    else
      $PY -m nucleispark_train.slim "$WORK/ckpt/$model/fold$k/best.pt" "$out/${model}_fold$k.pt"
    fi
  done
  tar -czf "$out/${model}_logs.tgz" -C "$WORK" log ckpt/$model/fold0/train.log ckpt/$model/fold1/train.log \
    ckpt/$model/fold2/train.log ckpt/$model/fold3/train.log
  ;;
*)
  sed -n 2,14p "$0"; exit 2 ;;
esac
