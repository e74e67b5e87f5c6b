#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netbench.sh: the datapath benchmark, run inside the VM by vm-bench.sh
# (RUNS, SECS, SRC_RUNS and BENCH from the environment).
# Every figure is a median of $RUNS runs of $SECS seconds, and every row is
# a ratio to a baseline measured in the same run, alternating the variants
# so that drift hits both alike.  The spread (min-max of the runs) says how
# noisy each figure was.
#
#   sender 203.0.113.1 --- gateway (module / nft / iptables) --- sink 198.51.100.1
#          2001:db8:1::1                                          2001:db8:2::1
#   (sg_flood: raw-socket sendmmsg, spoofed sources of 203.0.113.0/24 and,
#    to fill the source table, of 2001:db8:1000::/36 one /64 each)
#
# On veth the gateway's receive path runs in the sender's softirq on the
# same CPU, so a rate is sender cost + gateway cost; ratios understate the
# gateway's own difference, never overstate it.
#
# BENCH picks sections (default all): hookcost srctable fwd strict allow open sources xdp.
#   hookcost the per-packet cost of the PRE_ROUTING hooks, timed in the guest
#            by tools/bench/hookbench (HOOKBENCH_KO, built by vm-bench.sh):
#            no sipguard hook, sipguard strict drop, sipguard trusted pass,
#            an nft drop rule, sipguard's open policy passing an untrusted
#            OPTIONS, an nft per-source meter passing it, sipguard's parser
#            alone on it; each variant's fastest of many short blocks,
#            as a ratio to the base's fastest of the same group of rounds.
#            HOOK_RUNS (2) whole runs, each HOOK_REPS (1000) rounds of
#            HOOK_ITERS (256) passes per variant, in HOOK_GROUPS (5) groups.
#   srctable the source table at rest and its lookup, 1k vs 1M sources: CPU
#            busy with no traffic at 1k and at 1M entries (the collector),
#            and sg_hookbench's src0/src: the hook's time for a banned
#            source (lookup, ban check, drop; 256 sources in turn) with
#            only them in the table over the same with 1M others in it
#   fwd      non-SIP forwarding, module loaded vs not
#   strict   strict flood: sipguard vs nft `udp dport 5060 drop`
#   allow    strict flood with 10, 1,000, 100,000 allowlist entries
#   open     an open-policy flood (INVITEs, scanner and ordinary User-Agents,
#            256 sources): sipguard open policy vs the usual iptables recipe
#            (iptables-legacy and iptables-nft) and vs an nft meter
#   sources  a fixed flood against a source table holding 1k to 1M entries
#   xdp      strict flood dropped by the XDP tier (native, generic) vs the
#            hook vs nft drop (each counted where it drops)

SG_NO_TAP=1 source "$SG_TOP/selftests/lib.sh"
RUNS=${RUNS:-5}
SECS=${SECS:-3}
# The source-table section refills up to 1,000,000 entries per run.
SRC_RUNS=${SRC_RUNS:-$RUNS}
BENCH=${BENCH:-hookcost srctable fwd strict allow open sources xdp}
FLOOD=$SG_TOP/build/bench/sg_flood
out=$SG_TOP/build/bench/netbench-$(uname -r).txt
want() { [[ " $BENCH " == *" $1 "* ]]; }

setup_ns snd gw sink
veth_link "$snd" s0 "$gw" g0
veth_link "$gw" g1 "$sink" k0
ns_batch "$snd" <<-IP
	addr add 203.0.113.1/24 dev s0
	route add default via 203.0.113.254
	addr add 2001:db8:1::1/64 dev s0 nodad
	route add default via 2001:db8:1::fe
IP
ns_batch "$gw" <<-IP
	addr add 203.0.113.254/24 dev g0
	addr add 198.51.100.254/24 dev g1
	addr add 2001:db8:1::fe/64 dev g0 nodad
	addr add 2001:db8:2::fe/64 dev g1 nodad
IP
ns_batch "$sink" <<-IP
	addr add 198.51.100.1/24 dev k0
	route add default via 198.51.100.254
	addr add 2001:db8:2::1/64 dev k0 nodad
	route add default via 2001:db8:2::fe
IP
ip netns exec "$gw" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
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
ip netns exec "$snd" ping -6 -qc1 -W2 2001:db8:1::fe >/dev/null

# rate PORT COUNT [sg_flood options]: packets/s that reached the gateway's
# verdict point, measured by COUNT (a command printing a running total) over
# SECS seconds of flood.  The sender is pinned to CPU 0 (the VM has one).
rate() {
	local port=$1 count=$2 c0 c1 t0 t1
	shift 2
	c0=$($count); t0=$(date +%s.%N)
	timeout -s INT "$SECS" ip netns exec "$snd" taskset -c 0 "$FLOOD" -d 198.51.100.1 -P "$port" \
		-s 203.0.113.0 -n 256 -c 100000000 "$@" >/dev/null 2>&1
	c1=$($count); t1=$(date +%s.%N)
	echo "$c0 $c1 $t0 $t1" | awk '{ printf "%.0f\n", ($2 - $1) / ($4 - $3) }'
}
gw_dropped() { sg_stat "$gw" dropped; }
gw_nft() { ip netns exec "$gw" nft list counter inet bench hits | awk '/packets/ { print $2 }'; }
sink_got() { nft_count "$sink" sink got; }
# What the gateway's stack took in on g0, whatever ran on it: veth counts a
# packet when it is queued to the gateway's backlog, which the same softirq
# then processes (a full backlog is the sender's drop, not counted here).
gw_rx() { ip netns exec "$gw" cat /sys/class/net/g0/statistics/rx_packets; }

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
	local b v bmin bmax vmin vmax
	[ -n "${samples[$2]:-}" ] && [ -n "${samples[$3]:-}" ] || return 0
	read -r b bmin bmax <<< "$(printf '%s' "${samples[$2]}" | stats)"
	read -r v vmin vmax <<< "$(printf '%s' "${samples[$3]}" | stats)"
	printf '%-50s %10s %10s %7.3f %8s  (%s: %s-%s, %s: %s-%s)\n' "$1" "$b" "$v" \
		"$(awk -v a="$v" -v b="$b" 'BEGIN { print a / b }')" "$4" "$2" "$bmin" "$bmax" "$3" "$vmin" "$vmax"
}

gwctl() { ip netns exec "$gw" "$SIPGUARDCTL" "$@"; }

# The open-policy flood: INVITEs without a To tag from the 256 sources of
# 203.0.113.0/24, every other source a scanner by its User-Agent (two of
# sipguard's default signatures), the others ordinary phones.  Each source
# sends about 1/256 of the rate, far above 10/s: most packets are over
# their source's limit, as in a real flood.
OPEN_FLOOD=(-M INVITE -u friendly-scanner -u "Linphone/5.2.0 (belle-sip/5.2.0)"
	-u "PortSIP VoIP SDK 11.2" -u "Zoiper rv2.10.20.1")
# Providers: trusted, ACCEPTed first (none of the flood's sources).
PROVIDERS="192.0.2.10/32 192.0.2.20/32 192.0.2.64/27"
RATE=10
BURST=40

# sipguard's default signatures, from kmod/signatures.c.
mapfile -t SIGS < <(sed -n '/^static const char \*const sg_default_sigs/,/};/p' \
	"$SG_TOP/kmod/signatures.c" | grep -o '"[^"]*"' | tr -d '"')
[ "${#SIGS[@]}" -ge 10 ] || { echo "netbench: no signatures found in kmod/signatures.c" >&2; exit 1; }

# The usual iptables recipe, in the raw table's PREROUTING (priority -300,
# next to sipguard's -350 with nothing between them): provider ACCEPTs,
# one Boyer-Moore string match per scanner User-Agent (case-sensitive, as
# the recipe is usually written; sipguard's match ignores case), then
# hashlimit per source with sipguard's rate and burst.
ipt_on() {	# iptables-legacy | iptables-nft
	local p s
	{
		echo '*raw'
		for p in $PROVIDERS; do
			echo "-A PREROUTING -s $p -p udp --dport 5060 -j ACCEPT"
		done
		for s in "${SIGS[@]}"; do
			echo "-A PREROUTING -p udp --dport 5060 -m string --algo bm --string \"$s\" -j DROP"
		done
		echo "-A PREROUTING -p udp --dport 5060 -m hashlimit --hashlimit-above $RATE/sec" \
			"--hashlimit-burst $BURST --hashlimit-mode srcip --hashlimit-name sip -j DROP"
		echo COMMIT
	} | ip netns exec "$gw" "$1-restore"
}
ipt_off() { ip netns exec "$gw" "$1" -t raw -F PREROUTING; }
# What the recipe dropped: the DROP rules' packet counts.
ipt_dropped() {
	ip netns exec "$gw" "$1" -t raw -L PREROUTING -v -x -n 2>/dev/null | awk '$3 == "DROP" { n += $1 } END { print n + 0 }'
}

# The nftables meter: only the per-source limit, at sipguard's priority.
meter_on() {
	ip netns exec "$gw" nft -f - <<-NFT
	table inet bench {
		counter hits {}
		chain pre { type filter hook prerouting priority -350;
			udp dport 5060 meter persrc size 65536 { ip saddr limit rate over $RATE/second burst $BURST packets } counter name hits drop; }
	}
	NFT
}

# The share of what g0 took in that each variant dropped, per run: says the
# variants did their job (printed, not timed).
declare -A dropped_share
# rate_open NAME DROPCOUNT...: the open flood, counted at g0.
rate_open() {
	local name=$1 d0 d1 r0 r1 v
	shift
	d0=$("$@"); r0=$(gw_rx)
	v=$(rate 5060 gw_rx "${OPEN_FLOOD[@]}")
	d1=$("$@"); r1=$(gw_rx)
	sample "$name" "$v"
	dropped_share[$name]+="$(awk -v d=$((d1 - d0)) -v r=$((r1 - r0)) 'BEGIN { printf "%.3f", r ? d / r : 0 }') "
}

# Fill the source table with sources N0..N1-1 of 2001:db8:1000::/36 (one
# /64 each, prefix6 64), each a scanner: banned at once, so none is
# collected as idle while the run goes on.
src_fill() {
	local n0=$1 n1=$2 base
	base=$(printf '2001:db8:%x:%x::' $((0x1000 + (n0 >> 16))) $((n0 & 0xffff)))
	ip netns exec "$snd" taskset -c 0 "$FLOOD" -d 2001:db8:2::1 -s "$base" -n $((n1 - n0)) \
		-c $((n1 - n0)) -u friendly-scanner >/dev/null
}
src_count() { gwctl show | awk '$1 == "sources:" { print $2 }'; }
# busy: per mille of the (one) CPU not idle over SECS seconds without
# traffic, i.e. what the collector's passes over the table cost (plus the
# VM's own ticks: compare it with the same figure of the small table).
busy() {
	local a b
	a=$(awk '$1 == "cpu" { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
	sleep "$SECS"
	b=$(awk '$1 == "cpu" { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
	echo "$a $b" | awk '{ printf "%.0f\n", 1000 * (1 - ($3 - $1) / ($4 - $2)) }'
}
SRC_SIZES=${SRC_SIZES:-1000 10000 100000 1000000}
# One table size for every point (2^20 + 2^16 entries, 2^18 hash buckets),
# so only the number of entries changes; about 100 MB at 1M entries.
SRC_MAX=1114112

# sg_hookbench's "row" lines of run $1 as the table's rows (sections
# hookcost and srctable); the ratio rows with the target of issue 31, met
# or not by the median (the spread beside it says how far to trust that).
hook_head() {
	printf '%-4s %-15s %8s %19s %8s %17s %7s %s\n' run variant "ns min" "(median, max)" "x base" "(min-max)" spread target
}
hook_rows() {
	awk -v run="$1" '{
		sp = $5 > 0 ? 100 * ($7 - $6) / $5 : 0
		tgt = ""
		if ($1 == "strict/nft")
			tgt = "<=1.0: " ($5 <= 1.0 ? "met" : "not met")
		else if ($1 == "open/meter")
			tgt = "<=2.0: " ($5 <= 2.0 ? "met" : "not met")
		else if ($1 == "src0/src")
			tgt = ">=0.9: " ($5 >= 0.9 ? "met" : "not met")
		if ($2 == "-")
			printf "%-4s %-15s %8s %19s %8.3f %17s %6.1f%% %s\n", run, $1, "", "", $5, "(" $6 "-" $7 ")", sp, tgt
		else
			printf "%-4s %-15s %8s %19s %8.3f %17s %6.1f%%\n", run, $1, $2, "(" $3 ", " $4 ")", $5, "(" $6 "-" $7 ")", sp
	}'
}

# The hook-cost microbenchmark: four namespaces with a dummy device each:
# sipguard strict/enforce with 198.51.100.10 trusted (hbsg); sipguard off
# and an nft drop rule, counted as in the strict section (hbnft); sipguard
# open/enforce with limits that never run dry (hbopen); sipguard off and
# the open section's nft meter with the same limits (hbmeter).
# sg_hookbench finds them by a process in each and prints "row" lines.
hook_table=
if want hookcost; then
	[ -n "${HOOKBENCH_KO:-}" ] || { echo "netbench: hookcost needs HOOKBENCH_KO" >&2; exit 1; }
	setup_ns hbsg hbnft hbopen hbmeter
	for ns in $hbsg $hbnft $hbopen $hbmeter; do
		ip -n "$ns" link add hb0 type dummy
		ip -n "$ns" link set hb0 up
	done
	ip netns exec "$hbsg" sleep 3600 & p1=$!
	ip netns exec "$hbnft" sleep 3600 & p2=$!
	ip netns exec "$hbopen" sleep 3600 & p3=$!
	ip netns exec "$hbmeter" sleep 3600 & p4=$!
	hook_table+="# hook cost (sg_hookbench): ns per packet through a namespace's IPv4 PRE_ROUTING hooks"
	hook_table+=" (an skb clone and free included in every variant), ${HOOK_REPS:-1000} rounds of"
	hook_table+=" ${HOOK_ITERS:-256} passes per variant, interleaved, ${HOOK_GROUPS:-5} groups"$'\n'
	hook_table+=$(hook_head)$'\n'
	# BEFORE_KO (another build of the module): its runs in the same boot,
	# after this module's, labelled "before".
	for ko in "$SG_MODULE" ${BEFORE_KO:+"$BEFORE_KO"}; do
		sg_module_unload
		SG_MODULE=$ko sg_module_load
		label=
		[ "$ko" = "$SG_MODULE" ] || label=b
		ip netns exec "$hbsg" "$SIPGUARDCTL" set mode enforce policy strict ports 5060 guard all
		ip netns exec "$hbsg" "$SIPGUARDCTL" allow add 198.51.100.10/32
		ip netns exec "$hbnft" "$SIPGUARDCTL" set mode off
		ip netns exec "$hbmeter" "$SIPGUARDCTL" set mode off
		ip netns exec "$hbopen" "$SIPGUARDCTL" set mode enforce policy open ports 5060 guard all \
			rate 1000000 burst 1000000 ban 0 budget 0
		ip netns exec "$hbnft" nft -f - <<-NFT
		flush ruleset
		table inet bench {
			counter hits {}
			chain pre { type filter hook prerouting priority -300; udp dport 5060 counter name hits drop; }
		}
		NFT
		# The open section's meter, with the open variant's limits
		# (never dry for one source at the benchmark's rate): it passes.
		ip netns exec "$hbmeter" nft -f - <<-NFT
		flush ruleset
		table inet bench {
			counter hits {}
			chain pre { type filter hook prerouting priority -350;
				udp dport 5060 meter persrc size 65536 { ip saddr limit rate over 1000000/second burst 1000000 packets } counter name hits drop; }
		}
		NFT
		for run in $(seq "${HOOK_RUNS:-2}"); do
			n0=$(dmesg | wc -l)
			if ! insmod "$HOOKBENCH_KO" sg_pid=$p1 nft_pid=$p2 open_pid=$p3 meter_pid=$p4 iters="${HOOK_ITERS:-256}" \
					reps="${HOOK_REPS:-1000}" groups="${HOOK_GROUPS:-5}"; then
				dmesg | tail -n +$((n0 + 1)) | grep sg_hookbench >&2
				exit 1
			fi
			rmmod sg_hookbench
			[ "$run$label" != 1 ] || dmesg | tail -n +$((n0 + 1)) | sed -n 's/.*sg_hookbench: \(.*hook.*\)/# \1/p'
			hook_table+=$(dmesg | tail -n +$((n0 + 1)) | sed -n 's/.*sg_hookbench: row //p' |
				hook_rows "$run$label")$'\n'
		done
	done
	kill "$p1" "$p2" "$p3" "$p4" 2>/dev/null; wait "$p1" "$p2" "$p3" "$p4" 2>/dev/null
	hook_table+="# x base: per group, the variant's fastest block over the base's (median, min-max of the groups);"
	hook_table+=" spread = (max - min) / median; strict/nft < 1: sipguard's drop costs less than nft's;"
	hook_table+=" parse: the base plus sip_parse() of the payload (parse - base = the parser's ns)"
	[ -z "${BEFORE_KO:-}" ] || hook_table+="; runs 1b, 2b: the module of BEFORE"
	hook_table+=$'\n'
	printf '%s' "$hook_table"
	sg_module_unload
fi

# The source table at rest and its lookup (section srctable).  The gateway
# and a namespace of its own (hbe, empty), both open policy, the same table
# size, the 256 sources of 203.0.113.0/24 banned by hand in each; then the
# gateway's table is filled (scanners of 2001:db8:1000::/36, banned) to 1k,
# CPU busy sampled SRC_RUNS times, to 1M, sampled again, and sg_hookbench
# times the banned sources' packets through both namespaces' hooks,
# interleaved (src0: hbe, src: the gateway).  With BEFORE_KO, the same for
# it, in the same boot.
srct_table=
if want srctable; then
	[ -n "${HOOKBENCH_KO:-}" ] || { echo "netbench: srctable needs HOOKBENCH_KO" >&2; exit 1; }
	setup_ns hbe
	for ns in $hbe $gw; do
		ip -n "$ns" link add hb0 type dummy
		ip -n "$ns" link set hb0 up
	done
	ip netns exec "$hbe" sleep 3600 & pe=$!
	ip netns exec "$gw" sleep 3600 & pg=$!
	for ko in "$SG_MODULE" ${BEFORE_KO:+"$BEFORE_KO"}; do
		pre='' label=''
		[ "$ko" = "$SG_MODULE" ] || { pre=before_; label=b; }
		sg_module_unload
		SG_MODULE=$ko sg_module_load
		for ns in $gw $hbe; do
			ip netns exec "$ns" "$SIPGUARDCTL" set mode enforce policy open guard all rate $RATE \
				burst $BURST ban 600 budget 0 prefix6 64 table-max $((SRC_MAX + 1))
			ip netns exec "$ns" "$SIPGUARDCTL" set table-max $SRC_MAX
			for a in $(seq 0 255); do
				ip netns exec "$ns" "$SIPGUARDCTL" ban 203.0.113.$a 3600 >/dev/null
			done
		done
		src_fill 0 1000
		for _ in $(seq "$SRC_RUNS"); do sample "${pre}idle_1000" "$(busy)"; done
		src_fill 1000 1000000
		c=$(src_count)
		[ "$c" -ge 1000256 ] || echo "# ${pre}srctable: $c entries, not 1000256" >&2
		for _ in $(seq "$SRC_RUNS"); do sample "${pre}idle_1000000" "$(busy)"; done
		n0=$(dmesg | wc -l)
		if ! insmod "$HOOKBENCH_KO" src0_pid=$pe src_pid=$pg iters="${HOOK_ITERS:-256}" \
				reps="${HOOK_REPS:-1000}" groups="${HOOK_GROUPS:-5}"; then
			dmesg | tail -n +$((n0 + 1)) | grep sg_hookbench >&2
			exit 1
		fi
		rmmod sg_hookbench
		srct_table+=$(dmesg | tail -n +$((n0 + 1)) | sed -n 's/.*sg_hookbench: row //p' |
			hook_rows "1$label")$'\n'
		# Freed here, on the VM's one vCPU: any stall or lockup shows in dmesg.
		t0=$(date +%s.%N)
		gwctl set policy strict table-max 16384
		t1=$(date +%s.%N)
		srct_table+="# ${label:-now}: freeing the table of $c entries took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"$'\n'
		ip netns exec "$hbe" "$SIPGUARDCTL" set policy strict table-max 16384
	done
	kill "$pe" "$pg" 2>/dev/null; wait "$pe" "$pg" 2>/dev/null
	ip -n "$gw" link del hb0
	if dmesg | grep -Eq 'rcu_sched self-detected stall|rcu: INFO|soft lockup|hung_task'; then
		srct_table+="# srctable: the console reported a stall or lockup:"$'\n'
		srct_table+=$(dmesg | grep -E 'rcu_sched self-detected stall|rcu: INFO|soft lockup|hung_task' | head -5)$'\n'
	fi
	sg_module_unload
fi

# perf in the VM (BENCH=profile, not part of the table): where the gateway's
# CPU goes while the table fills with 100,000 sources, then under the open
# flood with them in it.  cpu-clock sampling (TCG has no PMU).
if want profile; then
	sysctl -qw kernel.kptr_restrict=0 kernel.perf_event_paranoid=-1
	for ko in "$SG_MODULE" ${BEFORE_KO:+"$BEFORE_KO"}; do
		sg_module_unload
		SG_MODULE=$ko sg_module_load
		echo "# perf, module $ko"
		gwctl set mode enforce policy open rate $RATE burst $BURST ban 600 budget 0 \
			prefix6 64 table-max 131072
		perf record -q -a -e cpu-clock -o /tmp/fill.data -- \
			bash -c "$(declare -f src_fill); FLOOD=$FLOOD snd=$snd; src_fill 0 100000" 2>/dev/null
		echo "# perf: filling the table with 100,000 sources ($(src_count) in it)"
		perf report -q -i /tmp/fill.data --stdio --sort sym 2>/dev/null | grep -v '^$' | head -20
		gwctl set ban 0
		perf record -q -a -e cpu-clock -o /tmp/open.data -- timeout -s INT "$SECS" \
			ip netns exec "$snd" taskset -c 0 "$FLOOD" -d 198.51.100.1 -P 5060 -s 203.0.113.0 \
			-n 256 -c 100000000 "${OPEN_FLOOD[@]}" >/dev/null 2>&1
		echo "# perf: the open flood (ban 0), 100,000 other sources in the table"
		perf report -q -i /tmp/open.data --stdio --sort sym 2>/dev/null | grep -v '^$' | head -20
	done
	sg_module_unload
	exit 0
fi

# A detached XDP program holds the module until it is freed (after RCU).
sg_unload_wait() { for _ in $(seq 50); do sg_module_unload 2>/dev/null && return 0; sleep 0.1; done; return 1; }

for i in $(seq "$RUNS"); do
	if want xdp; then
		# Strict flood to 5060: nft drop, sipguard's hook, then its XDP
		# tier on g0 in native and generic mode, each counted where it
		# drops (nft counter; dropped, which includes xdp_drop_*).
		sg_unload_wait
		nft_drop_on
		sample xdp_nft "$(rate 5060 gw_nft)"
		nft_drop_off
		sg_module_load
		gwctl set mode enforce policy strict
		sample xdp_hook "$(rate 5060 gw_dropped)"
		for m in native generic; do
			gwctl xdp attach g0 $m >/dev/null
			sample "xdp_$m" "$(rate 5060 gw_dropped)"
			gwctl xdp detach g0 >/dev/null
		done
		sg_unload_wait
	fi
	if want fwd; then
		# Non-SIP UDP forwarding: module not loaded vs loaded (default config).
		sg_module_unload
		sample fwd_base "$(rate 9 sink_got)"
		sg_module_load
		sample fwd_mod "$(rate 9 sink_got)"
	fi
	if want strict; then
		# Strict flood to 5060: plain nft drop vs sipguard strict + enforce.
		sg_module_unload
		nft_drop_on
		sample nft_drop "$(rate 5060 gw_nft)"
		nft_drop_off
		sg_module_load
		gwctl set mode enforce policy strict
		sample sg_strict "$(rate 5060 gw_dropped)"
	fi
	if want allow; then
		# Allowlist size: every packet misses the list.
		sg_module_load
		gwctl set mode enforce policy strict
		for n in 10 1000 100000; do
			awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) printf "2001:db8:%x:%x::/64\n", int(i / 65536), i % 65536 }' |
				gwctl allow replace -
			sample "allow_$n" "$(rate 5060 gw_dropped)"
		done
		gwctl allow flush
	fi
	if want open; then
		# The open flood under the iptables recipe (legacy, then nft),
		# the nft meter, then sipguard: first without bans or budget
		# (what the recipe does), then with its defaults (ban 600 s,
		# budget 500/s).
		sg_module_unload
		for ipt in iptables-legacy iptables-nft; do
			ipt_on $ipt
			rate_open "$ipt" ipt_dropped $ipt
			ipt_off $ipt
		done
		meter_on
		rate_open meter gw_nft
		nft_drop_off
		sg_module_load
		for p in $PROVIDERS; do
			gwctl allow add "$p"
		done
		gwctl set mode enforce policy open rate $RATE burst $BURST ban 0 budget 0
		rate_open sg_open gw_dropped
		# A new table (no bans of an earlier run), same size.
		gwctl set ban 600 budget 500 table-max 16385
		gwctl set table-max 16384
		rate_open sg_open_defaults gw_dropped
		gwctl allow flush
		gwctl set policy strict
	fi
	if want sources && [ "$i" -le "$SRC_RUNS" ]; then
		# A fixed flood (the strict section's OPTIONS from 256 sources,
		# each over its limit and banned within its first 41 packets:
		# then a lookup and a ban check per packet) against a table
		# already holding 0, 1k, 10k, 100k, 1M other sources.  With
		# BEFORE_KO (another build of the module), the same for it,
		# in the same run.
		for ko in "$SG_MODULE" ${BEFORE_KO:+"$BEFORE_KO"}; do
			pre=
			[ "$ko" = "$SG_MODULE" ] || pre=before_
			sg_module_unload
			SG_MODULE=$ko sg_module_load
			gwctl set mode enforce policy open rate $RATE burst $BURST ban 600 budget 0 \
				prefix6 64 table-max $((SRC_MAX + 1))
			gwctl set table-max $SRC_MAX	# a new, empty table
			sample ${pre}src_0 "$(rate 5060 gw_rx)"
			have=0
			for n in $SRC_SIZES; do
				t0=$(date +%s.%N)
				src_fill $have "$n"
				t1=$(date +%s.%N)
				sample ${pre}fill_$n "$(awk -v a="$t0" -v b="$t1" -v k=$((n - have)) 'BEGIN { printf "%.0f", k / (b - a) }')"
				have=$n
				c=$(src_count)
				# Every source of the fill and the flood's 256 in the table.
				[ "$c" -ge $((n + 256)) ] || echo "# ${pre}sources: $c entries, not $((n + 256))" >&2
				sample "${pre}src_$n" "$(rate 5060 gw_rx)"
				sample "${pre}busy_$n" "$(busy)"
			done
			gwctl set policy strict table-max 16384
		done
		sg_module_unload
	fi
done
sg_module_unload

{
	echo "# netbench on Linux $(uname -r), $(nproc) vCPU under qemu (TCG), $RUNS runs of ${SECS}s, packets/s (median)"
	printf '%s' "$hook_table"
	if [ -n "$srct_table" ]; then
		echo "# source table: sg_hookbench, a banned source's hook time (256 in turn), table with only them (src0) vs 1M others too (src); src0/src is a rate ratio (lookup, 1M vs empty)"
		hook_head
		printf '%s' "$srct_table"
	fi
	printf '%-50s %10s %10s %7s %8s\n' "comparison" "baseline" "variant" "ratio" "target"
	row "non-SIP UDP forwarding: loaded vs not" fwd_base fwd_mod ">=0.99"
	row "strict flood dropped: sipguard vs nft drop" nft_drop sg_strict ">=0.95"
	row "strict flood, 1,000 vs 10 allowlist entries" allow_10 allow_1000 "flat"
	row "strict flood, 100,000 vs 10 allowlist entries" allow_10 allow_100000 "flat"
	row "open flood: sipguard vs iptables-legacy recipe" iptables-legacy sg_open ">=2"
	row "open flood: sipguard vs iptables-nft recipe" iptables-nft sg_open ">=2"
	row "open flood: sipguard vs nft meter (limit only)" meter sg_open ">=1.0"
	row "open flood: sipguard defaults vs iptables-nft" iptables-nft sg_open_defaults ""
	row "strict flood dropped: XDP native vs hook" xdp_hook xdp_native ">=5"
	row "strict flood dropped: XDP generic vs hook" xdp_hook xdp_generic ""
	row "strict flood dropped: XDP native vs nft drop" xdp_nft xdp_native ""
	row "strict flood dropped: hook vs nft drop (same run)" xdp_nft xdp_hook ">=0.95"
	row "no traffic, CPU busy per mille, 1M vs 1k sources" idle_1000 idle_1000000 "<=2"
	row "  the same, before" before_idle_1000 before_idle_1000000 ""
	for n in $SRC_SIZES; do
		row "fixed flood, $n vs 0 other sources" src_0 "src_$n" "flat/log"
	done
	for n in $SRC_SIZES; do
		row "  the same, before: $n vs 0" before_src_0 "before_src_$n" ""
	done
	for n in 0 $SRC_SIZES; do
		row "fixed flood, $n other sources: now vs before" "before_src_$n" "src_$n" ""
	done
	for n in $SRC_SIZES; do
		row "table fill, new sources/s, to $n: now vs before" "before_fill_$n" "fill_$n" ""
	done
	for n in $SRC_SIZES; do
		row "no traffic, CPU busy per mille, $n sources" "busy_${SRC_SIZES%% *}" "busy_$n" ""
	done
	for n in $SRC_SIZES; do
		row "no traffic, CPU busy per mille, $n: now vs before" "before_busy_$n" "busy_$n" ""
	done
	if want open; then
		echo "# open flood: share of what g0 took in that each variant dropped, per run"
		for v in iptables-legacy iptables-nft meter sg_open sg_open_defaults; do
			echo "#   $v: ${dropped_share[$v]:-}"
		done
	fi
} | tee "$out"
