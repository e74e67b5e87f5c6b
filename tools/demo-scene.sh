#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ghost-call demo, run inside the VM by tools/demo.sh: a SIPVicious scan
# rings the phone; sipguard with one allowlist line stops it; a real call
# from the provider still rings through.
SG_NO_TAP=1 source "$SG_TOP/selftests/lib.sh"

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
# Run sipguardctl on the gateway, showing the command as typed there.
gwshow() { printf '    gateway# sipguardctl %s\n' "$*"; gwctl "$@" 2>&1 | sed 's/^/    /'; }
rings() { nft_count "$phone" phone attacker_invites; }
gwctl() { ip netns exec "$gw" "$SIPGUARDCTL" "$@"; }

scan() {
	ip netns exec "$attacker" svmap -q -m INVITE $SG_PHONE4 $SG_WAN4 >/dev/null 2>&1
	ip netns exec "$attacker" svwar -q -m INVITE -e100-104 --force $SG_PHONE4 >/dev/null 2>&1
	ip netns exec "$attacker" svmap -q -6 -m INVITE $SG_PHONE6 >/dev/null 2>&1
}

say "The scene (network namespaces in a VM running Linux $(uname -r)):"
cat <<EOT
    attacker $SG_ATTACKER4  (SIPVicious: svmap, svwar)
    provider $SG_REGISTRAR4 (the phone's registrar, sipp as caller)
    gateway  WAN $SG_WAN4, port 5060 forwarded to the phone
    phone    $SG_PHONE4 / $SG_PHONE6 (sipp answering calls)
EOT
sg_gateway_topology || { echo "demo: cannot build the scene"; exit 1; }
sg_cleanup_hooks+=(sg_phone_stop)
sg_phone_start

say "1. No protection: the attacker scans the phone for extensions"
scan
n=$(rings)
echo "    The phone rang $n times with calls from $SG_ATTACKER4: ghost calls."
[ "$n" -gt 0 ] || { echo "demo: the unprotected scan should have rung the phone"; exit 1; }

say "2. Load sipguard on the gateway, trust the provider (one line), enforce"
sg_module_load || { echo "demo: cannot load the module"; exit 1; }
echo "    gateway# modprobe sipguard"
echo "    (loaded alone it only watches, in monitor mode: no working line is cut)"
gwshow allow add $SG_REGISTRAR4
gwshow set mode enforce guard wan0
echo "    (guard wan0: only SIP coming in from the internet side is filtered)"

say "3. The same scan again"
nft_reset "$phone" phone
scan
n=$(rings)
echo "    The phone rang $n times."

say "4. A real call from the provider"
nft_reset "$phone" phone
if sg_call "$registrar" $SG_REGISTRAR4 $SG_PHONE4 1; then
	echo "    The call from $SG_REGISTRAR4 rang $(nft_count "$phone" phone invites) time and completed."
	call=ok
else
	echo "    The call from $SG_REGISTRAR4 FAILED."
	call=failed
fi

say "5. What sipguard saw on the gateway"
gwctl stats | grep -E 'sip_udp|unguarded_iface|pass_trusted|drop_untrusted|dropped|would_drop' | sed 's/^ */    /'
[ "$(sg_stat "$gw" would_drop)" = 0 ] ||
	echo "    (would_drop: drop decisions taken in monitor mode, before 'set mode enforce')"

[ "$n" = 0 ] && [ $call = ok ] || exit 1
say "Ghost calls blocked, real call through."
