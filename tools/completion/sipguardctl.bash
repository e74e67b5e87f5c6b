# SPDX-License-Identifier: GPL-2.0
# bash completion for sipguardctl(8); needs nothing but bash itself.

_sipguardctl_words()
{
	COMPREPLY=($(compgen -W "$1" -- "$2"))
}

_sipguardctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local i cmd= cmdi=0 netns=()

	# The option that takes an argument: its namespaces or files.  bash
	# splits --netns=NS at '=' (COMP_WORDBREAKS): prev is then '='.
	if [[ $prev == = && COMP_CWORD -ge 2 ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --netns=* || $cur == --check=* || $cur == --json=* ]]; then
		prev=${cur%%=*} cur=${cur#*=}
	fi
	case $prev in
	-n | --netns)
		_sipguardctl_words "$(ip netns list 2>/dev/null | awk '{ print $1 }')" "$cur"
		return
		;;
	-c | --check)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--json)
		if [[ ${COMP_WORDS[COMP_CWORD - 1]} == = || ${COMP_WORDS[COMP_CWORD]} == --json=* ]]; then
			_sipguardctl_words "yes no" "$cur"
			return
		fi
		;;
	esac
	# The options before the command, as getopt_long reads them: -jn NS,
	# -nNS, --netns NS, --netns=NS (split or not), "--" ends them.
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--netns=?*) netns=(-n "${COMP_WORDS[i]#--netns=}") ;;
		-n | --netns | -[jhV]*n)
			if [[ ${COMP_WORDS[i + 1]} == = ]]; then
				netns=(-n "${COMP_WORDS[i + 2]}"); ((i += 2))
			else
				netns=(-n "${COMP_WORDS[i + 1]}"); ((i++))
			fi
			;;
		-[jhV]*n?* | -n?*) netns=(-n "${COMP_WORDS[i]#*n}") ;;
		-c | --check | -[jhV]*c) ((i++)); [[ ${COMP_WORDS[i]} == = ]] && ((i++)) ;;
		--json) [[ ${COMP_WORDS[i + 1]} == = ]] && ((i += 2)) ;;
		--) cmd=${COMP_WORDS[i + 1]}; cmdi=$((i + 1)); ((i + 1 < COMP_CWORD)) || cmd=; break ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; cmdi=$i; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			_sipguardctl_words "-j --json --json= -n --netns --netns= -c --check -h --help -V --version" "$cur"
		else
			_sipguardctl_words "show set allow deny sources ban unban signature stats monitor showconf setconf xdp" "$cur"
		fi
		return
	fi
	# -o FILE of stats and showconf
	if [[ $prev == -o && ($cmd == stats || $cmd == showconf) ]]; then
		COMPREPLY=($(compgen -f -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		if [[ $cmd == setconf ]]; then
			_sipguardctl_words "--help --check" "$cur"
		elif [[ $cmd == stats || $cmd == showconf ]]; then
			_sipguardctl_words "--help -o" "$cur"
		else
			_sipguardctl_words "--help" "$cur"
		fi
		return
	fi

	local nargs=$((COMP_CWORD - cmdi))
	case $cmd in
	xdp)
		case $nargs in
		1) _sipguardctl_words "attach detach show" "$cur" ;;
		2)
			if [[ $prev == attach || $prev == detach ]]; then
				local n ifs=
				for n in /sys/class/net/*; do
					[[ ${n##*/} == lo || ! -e $n ]] || ifs+=" ${n##*/}"
				done
				_sipguardctl_words "$ifs" "$cur"
			fi
			;;
		3) [[ ${COMP_WORDS[cmdi + 1]} == attach ]] && _sipguardctl_words "native generic" "$cur" ;;
		esac
		;;
	set)
		case $prev in
		mode) _sipguardctl_words "off monitor enforce" "$cur" ;;
		policy) _sipguardctl_words "strict open" "$cur" ;;
		ports) _sipguardctl_words "5060 none" "$cur" ;;
		tls-ports) _sipguardctl_words "5061 none" "$cur" ;;
		untrusted-invite) _sipguardctl_words "accept refuse" "$cur" ;;
		learn) _sipguardctl_words "on off" "$cur" ;;
		rate | burst | ban | budget | prefix4 | prefix6 | table-max | learn-max | failures | \
		failure-window | ban-max) ;;
		guard)
			local n ifs=all
			for n in /sys/class/net/*; do
				[[ ${n##*/} == lo || ! -e $n ]] || ifs+=" ${n##*/}"
			done
			_sipguardctl_words "$ifs" "${cur##*,}"
			# Complete the last name of a list like wan0,ppp0.
			if [[ $cur == *,* ]]; then
				COMPREPLY=("${COMPREPLY[@]/#/${cur%,*},}")
			fi
			;;
		*)
			# Keys go in pairs: offer one where a key is due.
			((nargs % 2)) && _sipguardctl_words "mode policy ports tls-ports guard rate burst ban
				budget prefix4 prefix6 table-max untrusted-invite learn learn-max failures
				failure-window ban-max" "$cur"
			;;
		esac
		;;
	allow)
		if ((nargs == 1)); then
			_sipguardctl_words "add del refresh list flush replace" "$cur"
		elif [[ ${COMP_WORDS[cmdi + 1]} == replace ]] && ((nargs == 2)); then
			COMPREPLY=($(compgen -f -- "$cur") -)
		elif [[ ${COMP_WORDS[cmdi + 1]} == refresh ||
			${COMP_WORDS[cmdi + 1]} == del && nargs -eq 2 ]]; then
			# The names on the allowlist.
			_sipguardctl_words "$(sipguardctl "${netns[@]}" allow list 2>/dev/null |
				awk '$(NF - 1) == "name" { print $NF }' | sort -u)" "$cur"
		elif [[ ${COMP_WORDS[cmdi + 1]} == add || ${COMP_WORDS[cmdi + 1]} == del ]] &&
		     ((nargs == 3)); then
			_sipguardctl_words "port name" "$cur"
		fi
		;;
	deny)
		local sub=${COMP_WORDS[cmdi + 1]}
		if ((nargs == 1)); then
			_sipguardctl_words "add del list replace" "$cur"
		elif [[ $sub == replace ]]; then
			case $nargs in
			2) _sipguardctl_words "--origin" "$cur" ;;
			4) COMPREPLY=($(compgen -f -- "$cur") -) ;;
			esac
		elif [[ $sub == add || $sub == del ]] && ((nargs >= 3)); then
			case $prev in
			timeout | origin) ;;
			*) if [[ $sub == add ]]; then _sipguardctl_words "timeout origin" "$cur"
			   else _sipguardctl_words "origin" "$cur"; fi ;;
			esac
		fi
		;;
	sources)
		((nargs == 1)) && _sipguardctl_words "banned" "$cur"
		;;
	unban)
		((nargs == 1)) && _sipguardctl_words "all" "$cur"
		;;
	signature)
		((nargs == 1)) && _sipguardctl_words "add del list" "$cur"
		;;
	stats)
		_sipguardctl_words "reset prometheus" "$cur"
		;;
	setconf)
		if ((nargs == 1)) || [[ ${COMP_WORDS[cmdi + 1]} == --check && nargs -eq 2 ]]; then
			COMPREPLY=($(compgen -f -- "$cur") -)
		fi
		;;
	esac
}

complete -F _sipguardctl sipguardctl
