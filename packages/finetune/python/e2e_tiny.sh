#!/bin/sh
# End-to-end check of the transformers + peft engine on a machine that has it (a GPU box, or a
# CPU with patience): trains a tiny random model with a tokenizer made from the data (nothing is
# downloaded), then checks that the adapter was written and that the loss went down.
#
#   packages/finetune/python/e2e_tiny.sh DATASET_DIR [OUT_DIR]
#
# DATASET_DIR holds train.jsonl (and valid.jsonl) as "alterego build" writes them.
# PYTHON (default python3) is the Python with torch, transformers, peft, accelerate, tokenizers.
# LAUNCHER=accelerate runs it with "accelerate launch" on every GPU.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dataset=${1:?usage: e2e_tiny.sh DATASET_DIR [OUT_DIR]}
out=${2:-$(mktemp -d "${TMPDIR:-/tmp}/alterego-e2e-XXXXXX")}
python=${PYTHON:-python3}
mkdir -p "$out"
valid=""
[ -f "$dataset/valid.jsonl" ] && valid="--valid $dataset/valid.jsonl"

if [ "${LAUNCHER:-python}" = accelerate ]; then
  run="$python -m accelerate.commands.launch $here/alterego_train_hf.py"
else
  run="$python $here/alterego_train_hf.py"
fi
# shellcheck disable=SC2086
$run --tiny-random --train "$dataset/train.jsonl" $valid --output "$out/adapters" \
  --merged-output "$out/merged" --epochs 2 --batch-size 8 --learning-rate 3e-3 \
  --logging-steps 5 --eval-steps 20 --max-seq-length 512 | tee "$out/progress.jsonl"

fail() { echo "e2e_tiny: FAIL: $*" >&2; exit 1; }
[ -f "$out/adapters/adapter_model.safetensors" ] || fail "no adapter_model.safetensors in $out/adapters"
[ -f "$out/adapters/adapter_config.json" ] || fail "no adapter_config.json in $out/adapters"
[ -f "$out/merged/config.json" ] || fail "no merged model in $out/merged"
"$python" - "$out/progress.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith('{"alterego"')]
losses = [row["loss"] for row in rows if row["alterego"] == "train"]
if len(losses) < 2:
    sys.exit("e2e_tiny: FAIL: fewer than two training losses were reported")
if not losses[-1] < losses[0]:
    sys.exit(f"e2e_tiny: FAIL: the loss did not go down ({losses[0]} -> {losses[-1]})")
if not any(row["alterego"] == "saved" for row in rows):
    sys.exit("e2e_tiny: FAIL: no saved line")
print(f"e2e_tiny: ok: loss {losses[0]:.3f} -> {losses[-1]:.3f} over {len(losses)} reports")
PY
echo "e2e_tiny: adapter in $out/adapters"
