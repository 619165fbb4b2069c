#!/usr/bin/env bash
# Issue 13, part 2: the NER architectures trained side by side on ONE GPU machine, in parallel,
# within a fixed wall-clock budget (default: every job stops training 375 s after the script
# started, a job still running at 450 s is stopped; the whole run ends in ~7.6 minutes), with
# figures and logs written to $OUT.
#
#   bash benchmarks/gpu_ner.sh --prepare   # here, once (needs pip's index): fills .gpu_data/
#   bash benchmarks/gpu_ner.sh --smoke     # here, on the CPU: every job for a few steps
#   bash benchmarks/gpu_ner.sh             # on the GPU machine (see docs/benchmarks.md)
#
# .gpu_data/ (ignored through .git/info/exclude; carried to the device machine) holds:
#   site.tar.xz        spaCy 3.8.18, thinc 8.3.14 and every runtime dependency the device's
#                      Python 3.12 lacks, unpacked from the cp312 manylinux wheels, .so files
#                      stripped of debug symbols (the wheels are 58 MB, too much to carry
#                      beside the 19 MB working tree; this is ~12.5 MB)
#   data/              copies of ../shared/data/resume_ner/*.char.bmes and cluener/{train,dev}.json
#   jieba_dict.txt.gz  jieba 0.42.1's dict.txt (MIT), the SoftLexicon dictionary
#
# Jobs (each one process, one CPU thread, the GPU through cupy/torch), for resume and cluener:
#   cnn          ner.cfg (CNN tok2vec) with the BiLSTM configs' training schedule
#                (batches 100 -> 1000 characters, learning rate 0.001, dropout 0.1)   seeds 0 1 2
#   bilstm       ner_bilstm.cfg (characters + bigrams, 2-layer BiLSTM 128)           seed 0
#   softlexicon  ner_softlexicon.cfg (bilstm + jieba SoftLexicon features)            seeds 0 1 2
# 14 processes. Environment knobs: WALL_SECONDS (450), POST_SECONDS (75; training stops at
# WALL - POST), TRAIN_SECONDS (per-job cap from its first batch), MAX_STEPS (50000),
# EVAL_FREQ (200), JOBS ("dataset:arch:seed ..." to run another list), GPU_ID (0; -1 = CPU).
# A preflight (4 steps of the softlexicon BiLSTM on 60 sentences) runs first on the GPU; if it
# fails, every job runs on the CPU (16 cores there) so the run still yields figures.
#
# $OUT receives: summary.md (the table printed at the end), results.jsonl (one JSON per job:
# the benchmark script's full result, learning curve on the selection set included), logs.tar.gz
# (every job's log), env.txt (versions, nvidia-smi).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
GPU_DATA="$ROOT/.gpu_data"
MODE="run"
case "${1:-}" in
  --prepare) MODE="prepare" ;;
  --smoke) MODE="smoke" ;;
  "") ;;
  *) echo "usage: bash benchmarks/gpu_ner.sh [--prepare|--smoke]" >&2; exit 2 ;;
esac

PY="${PYTHON:-python3}"

# -- prepare (here, once) -------------------------------------------------------------------
if [[ "$MODE" == "prepare" ]]; then
  set -e
  grep -qx '/.gpu_data/' .git/info/exclude || echo '/.gpu_data/' >> .git/info/exclude
  grep -qx '/.whl/' .git/info/exclude || echo '/.whl/' >> .git/info/exclude
  mkdir -p .whl "$GPU_DATA/data/resume_ner" "$GPU_DATA/data/cluener"
  plat=""
  for p in manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_24_x86_64 \
           manylinux_2_17_x86_64 manylinux2014_x86_64 manylinux1_x86_64 manylinux_2_5_x86_64; do
    plat="$plat --platform $p"
  done
  "$PY" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
    --implementation cp $plat -d .whl \
    spacy==3.8.18 thinc==8.3.14 blis==1.3.4 cymem==2.0.16 murmurhash==1.0.16 preshed==3.0.15 \
    srsly==2.5.6 catalogue==2.0.10 wasabi==1.1.3 weasel==1.0.1 confection==1.3.4 \
    spacy-legacy==3.0.12 spacy-loggers==1.0.5 pydantic==2.13.4 pydantic_core==2.46.4 \
    annotated-types==0.7.0 typing-inspection==0.4.2 cloudpathlib==0.26.0 smart_open==9.0.4 \
    opencc-python-reimplemented==0.1.7
  site="$(mktemp -d)"
  for w in .whl/*.whl; do unzip -q -o "$w" -d "$site"; done
  find "$site" -name '*.so' -exec strip --strip-unneeded {} +
  find "$site" \( -name '*.pyx' -o -name '*.pxd' -o -name '*.cpp' -o -name '*.c' -o -name '*.h' \) -delete
  rm -rf "$site"/spacy/tests "$site"/thinc/tests "$site"/srsly/tests "$site"/blis/tests
  tar -C "$site" -cf - . | xz -6 -T1 > "$GPU_DATA/site.tar.xz"
  rm -rf "$site"
  shared="${RECTIFY_SHARED_DATA:-$ROOT/../shared/data}"
  cp "$shared"/resume_ner/{train,dev,test}.char.bmes "$GPU_DATA/data/resume_ner/"
  cp "$shared"/cluener/{train,dev}.json "$GPU_DATA/data/cluener/"
  dict="$("$PY" -c 'from rectify_nlp.training.architectures import jieba_dict_path; print(jieba_dict_path())')"
  gzip -9 -c "$dict" > "$GPU_DATA/jieba_dict.txt.gz"
  du -sh "$GPU_DATA" "$GPU_DATA"/*
  echo "working tree that travels (tracked + untracked, not ignored):"
  git ls-files -co --exclude-standard -z | xargs -0 du -cb 2>/dev/null | tail -1
  exit 0
fi

# -- settings ---------------------------------------------------------------------------------
if [[ "$MODE" == "smoke" ]]; then
  TRAIN_SECONDS="${TRAIN_SECONDS:-20}"; MAX_STEPS="${MAX_STEPS:-4}"; EVAL_FREQ="${EVAL_FREQ:-2}"
  WALL_SECONDS="${WALL_SECONDS:-900}"
  GPU_ID="${GPU_ID:--1}"; LIMIT=60; PARALLEL=1
  JOBS="${JOBS:-resume:cnn:0 resume:bilstm:0 resume:softlexicon:0 cluener:cnn:0 cluener:softlexicon:1}"
  OUT="${OUT:-$(mktemp -d /tmp/gpu_ner_smoke.XXXX)}"
else
  TRAIN_SECONDS="${TRAIN_SECONDS:-100000}"; MAX_STEPS="${MAX_STEPS:-50000}"; EVAL_FREQ="${EVAL_FREQ:-200}"
  WALL_SECONDS="${WALL_SECONDS:-450}"
  GPU_ID="${GPU_ID:-0}"; LIMIT=0; PARALLEL=0
  JOBS="${JOBS:-resume:cnn:0 resume:cnn:1 resume:cnn:2 resume:bilstm:0 resume:softlexicon:0 resume:softlexicon:1 resume:softlexicon:2 cluener:cnn:0 cluener:cnn:1 cluener:cnn:2 cluener:bilstm:0 cluener:softlexicon:0 cluener:softlexicon:1 cluener:softlexicon:2}"
  OUT="${OUT:?set OUT (the device tool sets it)}"
fi
mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/gpu_ner_work.XXXX)"
LOGS="$WORK/logs"; RES="$WORK/results"; mkdir -p "$LOGS" "$RES"
START=$(date +%s)
# every job stops training POST_SECONDS before the wall budget ends (its model card, the
# evaluation and the collection need that time), whenever it started
POST_SECONDS="${POST_SECONDS:-75}"
TRAIN_UNTIL=$(( START + WALL_SECONDS - POST_SECONDS ))
echo "gpu_ner.sh $MODE: $(date -u +%FT%TZ), training until +$(( TRAIN_UNTIL - START )) s (at most ${TRAIN_SECONDS} s/job), wall ${WALL_SECONDS} s, max ${MAX_STEPS} steps, eval every ${EVAL_FREQ}, gpu ${GPU_ID}"

# -- environment: spaCy from the carried site-packages on the device ----------------------------
if [[ "$MODE" == "run" ]] && ! "$PY" -c 'import spacy' 2>/dev/null; then
  [[ -f "$GPU_DATA/site.tar.xz" ]] || { echo "no $GPU_DATA/site.tar.xz: run --prepare here and carry .gpu_data" >&2; exit 3; }
  mkdir -p /tmp/site
  "$PY" - "$GPU_DATA/site.tar.xz" /tmp/site <<'PY' || exit 3
import sys, tarfile
with tarfile.open(sys.argv[1]) as tf:
    try:
        tf.extractall(sys.argv[2], filter="data")
    except TypeError:  # a Python without extraction filters
        tf.extractall(sys.argv[2])
PY
  export PYTHONPATH="/tmp/site${PYTHONPATH:+:$PYTHONPATH}"
fi
export PYTHONPATH="$ROOT/src${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false
DATA_DIR="$GPU_DATA/data"
[[ -d "$DATA_DIR/cluener" ]] || DATA_DIR="${RECTIFY_SHARED_DATA:-$ROOT/../shared/data}"
LEXICON="$GPU_DATA/jieba_dict.txt.gz"
[[ -f "$LEXICON" ]] || LEXICON="jieba"

{
  echo "date: $(date -u +%FT%TZ)"; uname -a; "$PY" --version
  "$PY" - <<'PY' 2>&1
import importlib
for name in ("spacy", "thinc", "numpy", "torch", "cupy"):
    try:
        m = importlib.import_module(name)
        print(name, getattr(m, "__version__", "?"), getattr(m, "__file__", ""))
    except Exception as exc:  # noqa: BLE001
        print(name, "MISSING", type(exc).__name__, exc)
try:
    import torch
    print("cuda", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")
except Exception as exc:  # noqa: BLE001
    print("torch.cuda", exc)
PY
  nvidia-smi 2>/dev/null | head -15 || true
  nproc
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"


# -- the jobs ---------------------------------------------------------------------------------
SCHEDULE=(--set training.optimizer.learn_rate=0.001 --set training.dropout=0.1
          --set training.batcher.size.start=100 --set training.batcher.size.stop=1000)
run_job() {  # dataset arch seed
  local ds="$1" arch="$2" seed="$3" name="$1_$2_s$3"
  local extra=()
  [[ "$arch" == "cnn" ]] && extra=("${SCHEDULE[@]}")
  [[ "$arch" == "softlexicon" ]] && extra=(--set "components.tok2vec.model.embed.lexicon=$LEXICON")
  local limit=()
  [[ "$LIMIT" -gt 0 ]] && limit=(--limit "$LIMIT")
  "$PY" benchmarks/ner_benchmarks.py --dataset "$ds" --arch "$arch" --seed "$seed" \
    --gpu-id "$GPU_ID" --max-steps "$MAX_STEPS" --max-seconds "$TRAIN_SECONDS" \
    --train-until "$TRAIN_UNTIL" \
    --eval-frequency "$EVAL_FREQ" --patience 0 --data-dir "$DATA_DIR" "${limit[@]}" \
    "${extra[@]}" --work "$WORK/runs/$name" --out "$RES/$name.json" > "$LOGS/$name.log" 2>&1
  local rc=$?
  echo "$(date -u +%T) done $name rc=$rc ($(( $(date +%s) - START )) s)"
  return $rc
}

# preflight: the softlexicon BiLSTM for 4 steps on 60 sentences, on the GPU; if that fails
# (cupy, torch/CUDA, a kernel), every job runs on the CPU instead so that the run still
# yields figures (the log is in logs.tar.gz as preflight_*.log)
if [[ "$GPU_ID" -ge 0 ]]; then
  saved=("$MAX_STEPS" "$TRAIN_SECONDS" "$EVAL_FREQ" "$LIMIT")
  MAX_STEPS=4; TRAIN_SECONDS=60; EVAL_FREQ=2; LIMIT=60
  if run_job resume softlexicon 9 && mv "$LOGS/resume_softlexicon_s9.log" "$LOGS/preflight_gpu.log"; then
    echo "preflight on GPU $GPU_ID: ok ($(( $(date +%s) - START )) s)"
  else
    mv "$LOGS/resume_softlexicon_s9.log" "$LOGS/preflight_gpu.log" 2>/dev/null
    echo "preflight on GPU $GPU_ID FAILED: all jobs run on the CPU; its log:" >&2
    tail -30 "$LOGS/preflight_gpu.log" >&2
    GPU_ID=-1
  fi
  rm -f "$RES/resume_softlexicon_s9.json"
  MAX_STEPS="${saved[0]}"; TRAIN_SECONDS="${saved[1]}"; EVAL_FREQ="${saved[2]}"; LIMIT="${saved[3]}"
fi

kill_children() {  # the processes whose parent is $1 (the job's python), by pid
  local st cpid ppid rest
  for st in /proc/[0-9]*/stat; do
    read -r cpid _ _ ppid rest < "$st" 2>/dev/null || continue
    [[ "$ppid" == "$1" ]] && kill -TERM "$cpid" 2>/dev/null
  done
}

pids=()
for job in $JOBS; do
  IFS=: read -r ds arch seed <<< "$job"
  if [[ "$PARALLEL" == 1 ]]; then
    run_job "$ds" "$arch" "$seed"
  else
    run_job "$ds" "$arch" "$seed" &
    pids+=($!)
    sleep 1   # stagger the imports
  fi
done
# wait, but never past WALL_SECONDS from the start: a job still running then is stopped
# (its figures are lost, the others are collected)
while :; do
  alive=0
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
  [[ "$alive" -eq 0 ]] && break
  if (( $(date +%s) - START > WALL_SECONDS )); then
    echo "WALL_SECONDS=$WALL_SECONDS reached with $alive job(s) running: stopping them" >&2
    for p in "${pids[@]}"; do
      kill -0 "$p" 2>/dev/null || continue
      kill_children "$p"; kill -TERM "$p" 2>/dev/null
    done
    sleep 2
    break
  fi
  sleep 3
done
echo "all jobs ended after $(( $(date +%s) - START )) s"

# -- collect ----------------------------------------------------------------------------------
"$PY" - "$RES" "$OUT" "$MODE" <<'PY'
import json, statistics, sys
from pathlib import Path

res, out, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
rows = []
with (out / "results.jsonl").open("w", encoding="utf-8") as fh:
    for p in sorted(res.glob("*.json")):
        r = json.loads(p.read_text(encoding="utf-8"))
        r.pop("model_dir", None)
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        s = r["scores"][r["reported_split"]]["micro"]
        prog = r.get("progress", {})
        rows.append({"dataset": r["dataset"], "arch": r.get("arch"), "seed": r["seed"],
                     "split": r["reported_split"], "f": 100 * s["f"], "p": 100 * s["p"],
                     "r": 100 * s["r"], "steps": prog.get("steps_run"),
                     "best": prog.get("best_step"), "sel": prog.get("best_dev_ents_f"),
                     "s": r["train_seconds"],
                     "cps": r["scores"][r["reported_split"]]["inference"]["chars_per_s"]})
gpu = {json.loads(l).get("gpu_id", -1) for l in (out / "results.jsonl").open(encoding="utf-8")}
lines = [f"# gpu_ner.sh {mode}: {len(rows)} jobs, gpu_id {sorted(gpu)}", "",
         "| dataset | arch | seed | split | F1 | P | R | steps run | best step | selection F1 | train s | infer chars/s |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|"]
for x in sorted(rows, key=lambda x: (x["dataset"], x["arch"] or "", x["seed"])):
    lines.append(f"| {x['dataset']} | {x['arch']} | {x['seed']} | {x['split']} | {x['f']:.2f} | "
                 f"{x['p']:.2f} | {x['r']:.2f} | {x['steps']} | {x['best']} | {x['sel']} | "
                 f"{x['s']:.0f} | {x['cps']} |")
lines += ["", "| dataset | arch | seeds | mean F1 | spread (min-max) | sd |", "|---|---|---|---|---|---|"]
groups = {}
for x in rows:
    groups.setdefault((x["dataset"], x["arch"]), []).append(x["f"])
for (ds, arch), fs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
    sd = statistics.stdev(fs) if len(fs) > 1 else 0.0
    lines.append(f"| {ds} | {arch} | {len(fs)} | {statistics.mean(fs):.2f} | "
                 f"{min(fs):.2f}-{max(fs):.2f} | {sd:.2f} |")
text = "\n".join(lines) + "\n"
(out / "summary.md").write_text(text, encoding="utf-8")
print(text)
PY
tar -C "$WORK" -czf "$OUT/logs.tar.gz" logs
n_res=$(ls "$RES"/*.json 2>/dev/null | wc -l)
echo "results: $n_res of $(wc -w <<< "$JOBS") jobs; out: $OUT ($(ls "$OUT" | tr '\n' ' ')); $(( $(date +%s) - START )) s"
for f in "$LOGS"/*_s*.log; do
  [[ -f "$RES/$(basename "$f" .log).json" ]] || { echo "== FAILED: $f"; tail -25 "$f"; }
done
rm -rf "$WORK/runs"
[[ "$n_res" -eq "$(wc -w <<< "$JOBS")" ]]
