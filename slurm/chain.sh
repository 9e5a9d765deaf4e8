# medgen SLURM helpers, sourced by train.sbatch / sweep.sbatch / ddp.sbatch / ddp_multinode.sbatch (not submitted on its own).
#
# Auto-chaining: the job asks SLURM for a warning signal (#SBATCH --signal=B:USR1@300). The batch shell traps USR1
# (and TERM) and forwards it to the training process, which writes checkpoint_latest.pt and exits with the requeue
# code (medgen.train.REQUEUE_EXIT_CODE). `chain_next` then submits the next segment of the same run dir
# (CHAIN_RUN_DIR), which resumes from checkpoint_latest.pt. Exit 0 (training finished) or any other code (failure)
# ends the chain, and so does a TERM without a USR1 warning (scancel).
#
# Environment (all optional):
#   MEDGEN_ROOT         repository root (default: $SLURM_SUBMIT_DIR, i.e. submit from the repo root)
#   MEDGEN_VENV         virtual environment to activate (default: $MEDGEN_ROOT/.venv when it exists)
#   CHAIN_RUN_DIR       run dir of this chain; unset in the first segment (a new one is named here)
#   CHAIN_SEGMENT       segment number (1 for the first job)
#   CHAIN_MAX_SEGMENTS  stop chaining after this many segments (default 20)
#   CHAIN_METHOD        sbatch (default: submit a new job depending on this one) | requeue (scontrol requeue)
#   MEDGEN_DRY_RUN=1    print the training and sbatch/scontrol commands instead of running them; the training
#                       "exits" with MEDGEN_DRY_RUN_RC (default 0) after a simulated USR1 warning

chain_log() { echo "[medgen-chain $(date +%H:%M:%S)] $*"; }
chain_exec() { if [ "${MEDGEN_DRY_RUN:-0}" = 1 ]; then chain_log "dry run: $*"; else "$@"; fi; }

chain_setup() {  # chain_setup TRAIN_ARGS... : cd, venv, requeue code, CHAIN_RUN_DIR, CHAIN_SEGMENT
    MEDGEN_ROOT=${MEDGEN_ROOT:-${SLURM_SUBMIT_DIR:-$PWD}}
    cd "$MEDGEN_ROOT" || { echo "MEDGEN_ROOT=$MEDGEN_ROOT does not exist" >&2; exit 1; }
    local venv=${MEDGEN_VENV:-$MEDGEN_ROOT/.venv}
    if [ -f "$venv/bin/activate" ]; then . "$venv/bin/activate"; fi
    JOB_ID=${SLURM_JOB_ID:-local$$}
    REQUEUE_CODE=${MEDGEN_REQUEUE_CODE:-$(python -c 'from medgen.cli import requeue_exit_code as c; print(c())')}
    CHAIN_SEGMENT=${CHAIN_SEGMENT:-1}
    CHAIN_MAX_SEGMENTS=${CHAIN_MAX_SEGMENTS:-20}
    CHAIN_METHOD=${CHAIN_METHOD:-sbatch}
    local state="$MEDGEN_ROOT/logs/chain/${SLURM_JOB_ID:-none}"
    if [ -z "${CHAIN_RUN_DIR:-}" ] && [ -f "$state" ]; then  # a job requeued by scontrol keeps its first environment
        CHAIN_RUN_DIR=$(sed -n 1p "$state"); CHAIN_SEGMENT=$(sed -n 2p "$state")
    fi
    if [ -z "${CHAIN_RUN_DIR:-}" ]; then  # first segment: name the run dir now, so every segment uses the same one
        CHAIN_RUN_DIR=$(medgen_train --print-run-dir "$@") || { echo "cannot resolve the config" >&2; exit 2; }
    fi
    export CHAIN_RUN_DIR CHAIN_SEGMENT MEDGEN_ROOT
    chain_log "job $JOB_ID segment $CHAIN_SEGMENT/$CHAIN_MAX_SEGMENTS run dir $CHAIN_RUN_DIR"
}

chain_run() {  # chain_run CMD... : run CMD in the background, forward USR1/TERM to it; sets CHAIN_RC
    GOT_USR1=0; GOT_TERM=0; CHAIN_RC=0; unset CKPT_AT_SIGNAL
    if [ "${MEDGEN_DRY_RUN:-0}" = 1 ]; then
        chain_log "dry run: $*"; CHAIN_RC=${MEDGEN_DRY_RUN_RC:-0}; GOT_USR1=1; JOB_ID=${JOB_ID:-dry}; return
    fi
    CHILD=
    trap 'GOT_USR1=1; chain_forward USR1' USR1   # before the child starts: a warning in between is kept, not fatal
    trap 'GOT_TERM=1; chain_forward TERM' TERM
    "$@" &
    CHILD=$!
    if [ "$GOT_USR1" = 1 ]; then chain_forward USR1; fi
    if [ "$GOT_TERM" = 1 ]; then chain_forward TERM; fi
    while kill -0 "$CHILD" 2>/dev/null; do wait "$CHILD"; CHAIN_RC=$?; done
    wait "$CHILD" 2>/dev/null; local rc=$?; [ "$rc" = 127 ] || CHAIN_RC=$rc
    trap - USR1 TERM
    chain_log "training process exited with $CHAIN_RC"
}

chain_forward() {  # chain_forward SIG : to the training process, or to its children (CHAIN_FORWARD_TO=children)
    if [ -z "$CHILD" ]; then chain_log "received $1 before the training process started: forwarded once it runs"; return; fi
    chain_log "received $1, forwarding to $CHILD${CHAIN_FORWARD_TO:+ ($CHAIN_FORWARD_TO)}"
    [ -n "${CKPT_AT_SIGNAL+x}" ] || CKPT_AT_SIGNAL=$(chain_ckpt_stamp)
    if [ "${CHAIN_FORWARD_TO:-}" = children ]; then pkill "-$1" -P "$CHILD"; else kill "-$1" "$CHILD" 2>/dev/null; fi
}

chain_ckpt_stamp() { stat -c %y "$CHAIN_RUN_DIR/checkpoint_latest.pt" 2>/dev/null || echo none; }

chain_next() {  # chain_next SCRIPT ARGS... : submit/requeue the next segment when the run stopped to be continued
    local rc=$CHAIN_RC
    if [ "$rc" != "$REQUEUE_CODE" ] && [ "$rc" != 0 ] && [ "$GOT_USR1" = 1 ] && [ "$(chain_ckpt_stamp)" != none ] \
       && [ "$(chain_ckpt_stamp)" != "${CKPT_AT_SIGNAL:-none}" ]; then
        chain_log "exit $rc, but a checkpoint was written after the warning: treated as the requeue exit"
        rc=$REQUEUE_CODE  # a launcher (torchrun) that reports its workers' requeue exit as a failure
    fi
    if [ "$rc" = 0 ]; then chain_log "training finished: chain ends"; return 0; fi
    if [ "$rc" != "$REQUEUE_CODE" ]; then chain_log "training failed (exit $rc): chain ends"; return "$rc"; fi
    if [ "$GOT_USR1" != 1 ]; then chain_log "stopped by TERM without the time-limit warning (scancel?): chain ends"; return 0; fi
    if [ "$CHAIN_SEGMENT" -ge "$CHAIN_MAX_SEGMENTS" ]; then chain_log "CHAIN_MAX_SEGMENTS=$CHAIN_MAX_SEGMENTS reached: chain ends"; return 0; fi
    local next=$((CHAIN_SEGMENT + 1))
    if [ "$CHAIN_METHOD" = requeue ]; then
        mkdir -p "$MEDGEN_ROOT/logs/chain"
        printf '%s\n%s\n' "$CHAIN_RUN_DIR" "$next" > "$MEDGEN_ROOT/logs/chain/$JOB_ID"
        chain_log "requeueing job $JOB_ID as segment $next"
        chain_exec scontrol requeue "$JOB_ID"
    else
        chain_log "submitting segment $next: $*"
        chain_exec sbatch --dependency="afterany:$JOB_ID" --export="ALL,CHAIN_RUN_DIR=$CHAIN_RUN_DIR,CHAIN_SEGMENT=$next" "$@"
    fi
}
