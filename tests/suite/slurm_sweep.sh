#!/usr/bin/env bash
# A sweep on a real Slurm: munged, slurmctld and slurmd (Debian's munge and
# slurm-wlm) started here on loopback, in a temporary folder, on free ports;
# `greenbench sweep --emit slurm` writes the job array, `sbatch --wait` runs
# it (one array task per shard), `greenbench merge` joins the shards, and the
# merged records must equal a local run's. Exit 77 (CTest: skipped, with the
# reason) when Slurm is not installed or we are not root (slurmd needs it).
# Registered by tests.cmake: slurm_sweep.sh GREENBENCH
set -euo pipefail
greenbench=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/fixture_data.sh"
for tool in munged slurmctld slurmd sbatch sinfo; do
  command -v "$tool" > /dev/null || { echo "SKIP: $tool not installed (scripts/install-deps.sh installs slurm-wlm and munge)"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIP: slurmd must run as root to start jobs"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/greenbench-slurm-XXXXXX")
chmod 755 "$work"
cluster=$work/cluster
mkdir -p "$cluster"/{munge,state,spool,log}
stop_cluster() {
  for pidfile in "$cluster"/slurmd.pid "$cluster"/slurmctld.pid "$cluster"/munge/munged.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
  rm -rf "$work"
}
trap stop_cluster EXIT
fail() {
  echo "FAIL: $*" >&2
  for log in "$cluster"/log/*.log; do echo "== $log"; tail -n 20 "$log"; done >&2
  exit 1
}

# Two free TCP ports on loopback for slurmctld and slurmd.
read -r ctld_port slurmd_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

echo "== munge"
dd if=/dev/urandom of="$cluster/munge/munge.key" bs=1024 count=1 status=none
chmod 700 "$cluster/munge"; chmod 600 "$cluster/munge/munge.key"
munged --force --socket="$cluster/munge/munge.socket" --key-file="$cluster/munge/munge.key" \
  --pid-file="$cluster/munge/munged.pid" --log-file="$cluster/log/munged.log" --seed-file="$cluster/munge/seed" \
  || fail "munged did not start"

echo "== slurmctld and slurmd on ports $ctld_port, $slurmd_port"
export SLURM_CONF=$cluster/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=greenbench-test
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$cluster/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$cluster/state
SlurmdSpoolDir=$cluster/spool
SlurmctldPidFile=$cluster/slurmctld.pid
SlurmdPidFile=$cluster/slurmd.pid
SlurmctldLogFile=$cluster/log/slurmctld.log
SlurmdLogFile=$cluster/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=greenbench Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for ((i = 0; i < 60; i++)); do
  sinfo -h -o '%T' 2>/dev/null | grep -q idle && break
  sleep 0.5
done
sinfo -h -o '%T' | grep -q idle || fail "the node never became idle"

cd "$work"
write_fixture_data data
sweep=("$greenbench" -q sweep "${SMOKE_FLAGS[@]}" --trials 2 --threads 1 --data data --cache cache)

echo "== greenbench sweep --emit slurm --shards 2"
"${sweep[@]}" --results out --emit slurm --shards 2 --out sweep.sbatch
grep -q '^#SBATCH --array=0-1$' sweep.sbatch || fail "no 2-task array in sweep.sbatch"
cat sweep.sbatch

echo "== sbatch --wait"
sbatch --wait sweep.sbatch || { cat out/slurm/*.out >&2 || true; fail "the job array failed"; }
for log in out/slurm/*.out; do echo "-- $log"; tail -n 3 "$log"; done
[ -d out/shards/0 ] && [ -d out/shards/1 ] || fail "expected out/shards/0 and out/shards/1"

echo "== greenbench merge"
"$greenbench" merge --out out/merged out/shards/0 out/shards/1 | tee merge.log
grep -q "20 records copied, 0 already there" merge.log || fail "expected 20 records from the two shards"

echo "== the same sweep locally, unsharded"
"${sweep[@]}" --results local > local.log 2>&1 || { cat local.log; fail "local sweep"; }
diff <(record_results local) <(record_results out/merged) || fail "merged cluster records differ from the local run's"
echo "passed: 2 array tasks, 20 records merged, equal to the local sweep"
