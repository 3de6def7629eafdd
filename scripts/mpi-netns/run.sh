#!/usr/bin/env bash
# Several "hosts" on one machine: runs a command under Open MPI across Linux network namespaces, so
# ranks talk over TCP through veth pairs and a bridge (Open MPI's multi-host path, not shared memory),
# with `tc netem` shaping each host's link. Needs root (ip netns, tc) and iproute2.
#
#   scripts/mpi-netns/run.sh [-n HOSTS] [-r RATE] [-b BURST] [-d DELAY] -- PROGRAM ARGS...
#     -n HOSTS  namespaces, one rank each (default 2)
#     -r RATE   rate per link, e.g. 10gbit, 1gbit (default: unlimited): tc tbf, or netem's rate with -d
#     -b BURST  tbf's bucket (default: 2 ms at RATE, at least 64kb). tbf refills the bucket from a timer, and
#               on a loaded VM the timer fires ~1-2 ms late: a bucket smaller than that sustains only part of
#               the rate (64kb: 0.58 Gbit/s of 1gbit, 1.4 of 10gbit), a larger one lets whole messages pass
#               unshaped after an idle gap. Docs/DataParallel.md has the measurements.
#     -d DELAY  one-way delay per link end, e.g. 50us (default 0): tc netem (the kernel's sch_netem);
#               kernels built without CONFIG_NET_SCH_NETEM (this project's CI VM) cannot delay packets
#
# mpirun stays in the root namespace; its launcher agent (agent.sh, instead of ssh) enters the namespace
# that owns the host's address and starts Open MPI's daemon there. Everything is removed at exit.
set -euo pipefail
hosts=2 rate="" delay="" burst=""
while getopts "n:r:b:d:" option; do
    case "$option" in
        n) hosts="$OPTARG" ;; r) rate="$OPTARG" ;; b) burst="$OPTARG" ;; d) delay="$OPTARG" ;;
        *) echo "usage: $0 [-n HOSTS] [-r RATE] [-b BURST] [-d DELAY] -- PROGRAM ARGS..." >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
[ $# -ge 1 ] || { echo "$0: give the program to run after --" >&2; exit 2; }
[[ "$hosts" =~ ^[1-9][0-9]?$ ]] && [ "$hosts" -le 50 ] || { echo "$0: -n must be 1..50, got '$hosts'" >&2; exit 2; }
if [ -n "$rate" ] && [ -z "$burst" ]; then
    # 2 ms worth of RATE (tc's units: bit, kbit, mbit, gbit; k/m/g are powers of 1000), at least 64 KiB.
    burst=$(echo "$rate" | awk '{ n = $0 + 0; u = tolower($0); sub(/^[0-9.]+/, "", u)
        m = (u ~ /^g/) ? 1e9 : (u ~ /^m/) ? 1e6 : (u ~ /^k/) ? 1e3 : 1
        b = int(n * m * 0.002 / 8); if (b < 65536) b = 65536; print b "b" }')
fi
[ "$(id -u)" -eq 0 ] || { echo "$0: needs root (ip netns, tc)" >&2; exit 1; }
here="$(cd "$(dirname "$0")" && pwd)"
bridge=kmpibr0 prefix=10.77.0
cleanup() {
    for index in $(seq 1 "$hosts"); do ip netns delete "kmpi$index" 2>/dev/null || true; done
    ip link delete "$bridge" 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip link add "$bridge" type bridge
ip addr add "$prefix.1/24" dev "$bridge"
ip link set "$bridge" up
host_list=""
for index in $(seq 1 "$hosts"); do
    namespace="kmpi$index" address="$prefix.$((10 + index))"
    ip netns add "$namespace"
    ip link add "kv$index" type veth peer name eth0 netns "$namespace"
    ip link set "kv$index" master "$bridge" up
    ip -n "$namespace" addr add "$address/24" dev eth0
    ip -n "$namespace" link set eth0 up
    ip -n "$namespace" link set lo up
    # Both ends of the link are shaped (each direction leaves through one of them).
    for end in "ip netns exec $namespace tc qdisc add dev eth0 root" "tc qdisc add dev kv$index root"; do
        if [ -n "$delay" ]; then
            $end netem delay "$delay" ${rate:+rate "$rate"} \
                || { echo "$0: tc netem failed: this kernel lacks sch_netem (drop -d, -r alone uses tbf)" >&2; exit 1; }
        elif [ -n "$rate" ]; then
            # A token bucket (tbf) when only the rate is asked: it needs no netem module.
            $end tbf rate "$rate" burst "$burst" latency 20ms
        fi
    done
    host_list="$host_list${host_list:+,}$address"
done
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 KESTREL_MPI_TIMEOUT="${KESTREL_MPI_TIMEOUT:-60}"
# The TCP transport between ranks (no shared memory: each rank is its own "host"), and the daemons'
# out-of-band channel, both on the bridge's subnet.
# Every "host" is this machine: left to itself each host's daemon binds its first rank to core 0, so all
# ranks would share core 0, each busy-polling while the other waits for its time slice (a 4-byte
# all-reduce then took 21-33 ms, shaped or not). Hence no binding, and yielding while idle, as Open MPI
# does by itself when it knows a machine is oversubscribed.
mpirun --host "$host_list" -np "$hosts" --bind-to none --mca mpi_yield_when_idle 1 \
    --mca plm_rsh_agent "$here/agent.sh" \
    --mca btl tcp,self --mca btl_tcp_if_include "$prefix.0/24" --mca oob_tcp_if_include "$prefix.0/24" \
    -x KESTREL_MPI_TIMEOUT "$@"
