#!/usr/bin/env bash
# Open MPI's launcher agent for run.sh (in place of ssh): `agent.sh [ssh options] HOST COMMAND...` runs
# COMMAND inside the network namespace whose eth0 holds HOST's address.
set -euo pipefail
while [ $# -gt 0 ] && [[ "$1" == -* ]]; do shift; done
host="$1"; shift
for namespace in $(ip netns list | awk '{print $1}'); do
    if ip -n "$namespace" -4 addr show dev eth0 2>/dev/null | grep -q "inet $host/"; then
        exec ip netns exec "$namespace" /bin/sh -c "$*"
    fi
done
echo "agent.sh: no namespace holds $host" >&2
exit 1
