#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netbench.sh: the datapath benchmark, run inside the VM by vm-bench.sh
# (RUNS, SECS from the environment).
# Every figure is a median of $RUNS runs of $SECS seconds, and every row is
# a ratio to a baseline measured in the same run, alternating the variants
# so that drift hits both alike.  The spread (min-max of the runs) says how
# noisy each figure was.
#
#   sender 203.0.113.1 --- gateway (module / nft) --- sink 198.51.100.1
#   (sg_flood: raw-socket sendmmsg, 256 spoofed sources of 203.0.113.0/24)
#
# On veth the gateway's receive path runs in the sender's softirq on the
# same CPU, so a rate is sender cost + gateway cost; ratios understate the
# gateway's own difference, never overstate it.

source "$SG_TOP/selftests/lib.sh"
RUNS=${RUNS:-5}
SECS=${SECS:-3}
FLOOD=$SG_TOP/build/bench/sg_flood
out=$SG_TOP/build/bench/netbench-$(uname -r).txt

setup_ns snd gw sink
veth_link "$snd" s0 "$gw" g0
veth_link "$gw" g1 "$sink" k0
ip -n "$snd" addr add 203.0.113.1/24 dev s0
ip -n "$snd" route add default via 203.0.113.254
ip -n "$gw" addr add 203.0.113.254/24 dev g0
ip -n "$gw" addr add 198.51.100.254/24 dev g1
ip -n "$sink" addr add 198.51.100.1/24 dev k0
ip -n "$sink" route add default via 198.51.100.254
ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1
# Spoofed sources need the gateway not to check reverse paths.
ip netns exec "$gw" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.g0.rp_filter=0
ip netns exec "$sink" nft -f - <<-NFT
	table inet sink {
		counter got {}
		chain pre { type filter hook prerouting priority -500; counter name got drop; }
	}
NFT
ip netns exec "$snd" ping -qc1 -W2 198.51.100.1 >/dev/null
ip netns exec "$sink" ping -qc1 -W2 203.0.113.1 >/dev/null

# flood PORT: packets/s that reached the gateway's verdict point, measured by
# COUNT (a command printing a running total) over SECS seconds of flood.
rate() {
	local port=$1 count=$2 c0 c1 t0 t1
	c0=$($count); t0=$(date +%s.%N)
	timeout -s INT "$SECS" ip netns exec "$snd" "$FLOOD" -d 198.51.100.1 -P "$port" \
		-s 203.0.113.0 -n 256 -c 100000000 >/dev/null 2>&1
	c1=$($count); t1=$(date +%s.%N)
	echo "$c0 $c1 $t0 $t1" | awk '{ printf "%.0f\n", ($2 - $1) / ($4 - $3) }'
}
gw_dropped() { sg_stat "$gw" dropped; }
gw_nft() { ip netns exec "$gw" nft list counter inet bench hits | awk '/packets/ { print $2 }'; }
sink_got() { nft_count "$sink" sink got; }

nft_drop_on() {
	ip netns exec "$gw" nft -f - <<-NFT
	table inet bench {
		counter hits {}
		chain pre { type filter hook prerouting priority -350; udp dport 5060 counter name hits drop; }
	}
	NFT
}
nft_drop_off() { ip netns exec "$gw" nft delete table inet bench; }

# median and spread of the numbers on stdin
stats() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
	printf "%.0f %.0f %.0f\n", m, v[1], v[NR] }'; }

declare -A samples
sample() { samples[$1]+="$2"$'\n'; }

row() {	# NAME BASE VARIANT TARGET
	local b v
	read -r b bmin bmax <<< "$(printf '%s' "${samples[$2]}" | stats)"
	read -r v vmin vmax <<< "$(printf '%s' "${samples[$3]}" | stats)"
	printf '%-44s %12s %12s %7.3f %8s  (%s: %s-%s, %s: %s-%s)\n' "$1" "$b" "$v" \
		"$(awk -v a="$v" -v b="$b" 'BEGIN { print a / b }')" "$4" "$2" "$bmin" "$bmax" "$3" "$vmin" "$vmax"
}

gwctl() { ip netns exec "$gw" "$SIPGUARDCTL" "$@"; }

for i in $(seq "$RUNS"); do
	# Non-SIP UDP forwarding: module not loaded vs loaded (default config).
	sg_module_unload
	sample fwd_base "$(rate 9 sink_got)"
	sg_module_load
	sample fwd_mod "$(rate 9 sink_got)"
	# Strict flood to 5060: plain nft drop vs sipguard strict + enforce.
	sg_module_unload
	nft_drop_on
	sample nft_drop "$(rate 5060 gw_nft)"
	nft_drop_off
	sg_module_load
	gwctl set mode enforce policy strict
	sample sg_strict "$(rate 5060 gw_dropped)"
	# Allowlist size: every packet misses the list.
	for n in 10 1000 100000; do
		awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) printf "2001:db8:%x:%x::/64\n", int(i / 65536), i % 65536 }' |
			gwctl allow replace -
		sample "allow_$n" "$(rate 5060 gw_dropped)"
	done
	gwctl allow flush
done
sg_module_unload

{
	echo "# netbench on Linux $(uname -r), $(nproc) vCPUs under qemu (TCG), $RUNS runs of ${SECS}s, packets/s (median)"
	printf '%-44s %12s %12s %7s %8s\n' "comparison" "baseline" "sipguard" "ratio" "target"
	row "non-SIP UDP forwarding: loaded vs not" fwd_base fwd_mod ">=0.99"
	row "strict flood dropped: sipguard vs nft drop" nft_drop sg_strict ">=0.95"
	row "strict flood, 1,000 vs 10 allowlist entries" allow_10 allow_1000 "flat"
	row "strict flood, 100,000 vs 10 allowlist entries" allow_10 allow_100000 "flat"
} | tee "$out"
