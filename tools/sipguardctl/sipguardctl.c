// SPDX-License-Identifier: GPL-2.0
/*
 * sipguardctl: configure and inspect the sipguard module of the current
 * network namespace.  `sipguardctl` alone is `sipguardctl show`.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "allow.h"
#include "conf.h"
#include "config.h"
#include "ctl.h"
#include "deny.h"
#include "genl.h"
#include "monitor.h"
#include "print.h"
#include "show.h"
#include "signature.h"
#include "sources.h"
#include "xdp.h"

#ifndef SIPGUARDCTL_VERSION
#define SIPGUARDCTL_VERSION "unknown"
#endif

static const struct cmd cmds[] = {
	{ "show", cmd_show, "",
	  "version, configuration and counters of this namespace (default)" },
	{ "set", cmd_set,
	  "[mode off|monitor|enforce] [policy strict|open] [ports LIST] [tls-ports LIST] [guard IFLIST|all]\n"
	  "          [rate R] [burst B] [ban SECONDS] [budget R] [prefix4 N] [prefix6 N] [table-max N]\n"
	  "          [untrusted-invite accept|refuse] [learn on|off] [learn-max N]\n"
	  "          [failures N] [failure-window SECONDS] [ban-max SECONDS]",
	  "change the configuration; LIST like 5060,5080,5160-5170 or none" },
	{ "allow", cmd_allow, ALLOW_USAGE,
	  "the allowlist of trusted sources (registrar, provider, LAN); a provider's\n"
	  "      DNS name adds the addresses of its A, AAAA and SIP SRV records, refresh\n"
	  "      resolves the names again" },
	{ "deny", cmd_deny, DENY_USAGE,
	  "the denylist: prefixes dropped before parsing under the open policy (counted\n"
	  "      under strict), by origin, with an optional timeout; allowlisted sources\n"
	  "      and learned registrars win; replace swaps one origin's entries at once" },
	{ "sources", cmd_sources, "[banned]",
	  "the open policy's untrusted sources: packets, drops, tokens, ban time left,\n"
	  "      failure answers in the window, bans so far" },
	{ "ban", cmd_ban, "ADDR [SECONDS]",
	  "ban one source (its prefix) now, for SECONDS or the configured ban" },
	{ "unban", cmd_unban, "ADDR|all",
	  "end the ban of one source (its address, any address of its prefix) or of all" },
	{ "signature", cmd_signature, "add|del STRING | list",
	  "scanner User-Agent substrings (case-insensitive); a match drops and bans" },
	{ "stats", cmd_stats, "[reset] [prometheus]",
	  "the counters; reset returns them and zeroes them in one step;"
	  " prometheus prints them for node_exporter's textfile collector" },
	{ "monitor", cmd_monitor, "[--log]",
	  "print bans, unbans and sampled drops as they happen, one per line, until interrupted;"
	  " --log: bans, unbans and expiries in the event log's format; needs CAP_NET_ADMIN" },
	{ "showconf", cmd_showconf, "",
	  "the whole configuration (every setting, the signatures, the allowlist)"
	  " as a file that setconf reads" },
	{ "setconf", cmd_setconf, "[--check] FILE|-",
	  "make the configuration exactly the file (a setting it leaves out gets"
	  " the module's default); a bad file changes nothing; --check only checks"
	  " it, without the module" },
	{ "xdp", cmd_xdp, "attach DEV [native|generic] | detach DEV | show",
	  "the XDP tier: drop at the driver what the module certainly drops;"
	  " the module decides (kfunc), the netfilter hook judges the rest" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: sipguardctl [-j] [-n NETNS] [COMMAND [ARGS]]\n"
		   "       sipguardctl -c FILE\n"
		   "       sipguardctl COMMAND --help\n\n"
		   "Options:\n"
		   "  -j, --json     print JSON instead of text\n"
		   "  -n, --netns NETNS\n"
		   "                 act in the network namespace NETNS (/run/netns/NETNS)\n"
		   "  -c, --check FILE\n"
		   "                 check a configuration file, without the module; exit 0 or 2\n"
		   "  -h, --help     this text\n"
		   "  -V, --version  sipguardctl's version\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %s %s\n      %s\n", cmds[i].name, cmds[i].usage, cmds[i].help);
	fprintf(f, "\nExit status: 0 ok, 1 the request failed, 2 usage error,"
		   " 3 the sipguard module is not loaded.\n");
}

int main(int argc, char **argv)
{
	const struct cmd *current;
	const char *check = NULL;
	struct sg_nl nl;
	int i, ret;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "-j") || !strcmp(o, "--json")) {
			print_json = true;
		} else if (!strcmp(o, "-n") || !strcmp(o, "--netns") ||
			   !strcmp(o, "-c") || !strcmp(o, "--check")) {
			if (i + 1 >= argc || !argv[i + 1][0]) {
				fprintf(stderr, "sipguardctl: %s needs an argument\n", o);
				usage(stderr);
				return EXIT_USAGE;
			}
			if (o[1] == 'n' || o[2] == 'n')
				ctl_set_netns(argv[++i]);
			else
				check = argv[++i];
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(o, "-V") || !strcmp(o, "--version")) {
			printf("sipguardctl %s\n", SIPGUARDCTL_VERSION);
			return EXIT_OK;
		} else {
			fprintf(stderr, "sipguardctl: unknown option '%s'\n", o);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= i;
	argv += i;
	if (sg_nl_init(&nl))
		return report("starting", -ENOMEM, NULL);
	if (check) {
		char *cargv[] = { "setconf", "--check", (char *)check, NULL };

		if (argc) {
			fprintf(stderr, "sipguardctl: -c FILE takes no command\n");
			return EXIT_USAGE;
		}
		current = NULL;
		for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
			if (!strcmp(cmds[c].name, "setconf"))
				current = &cmds[c];
		ctl_set_cmd(current);
		ret = cmd_setconf(&nl, 3, cargv);
		sg_nl_close(&nl);
		return ret;
	}

	current = &cmds[0];
	if (argc > 0) {
		current = NULL;
		for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
			if (!strcmp(argv[0], cmds[c].name))
				current = &cmds[c];
		if (!current) {
			fprintf(stderr, "sipguardctl: unknown command '%s'\n", argv[0]);
			usage(stderr);
			return EXIT_USAGE;
		}
		for (i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
				printf("Usage: sipguardctl %s %s\n  %s\n", current->name,
				       current->usage, current->help);
				return EXIT_OK;
			}
		}
	}

	ctl_set_cmd(current);
	if (argc == 0) {
		static char *show_argv[] = { "show", NULL };

		ret = current->fn(&nl, 1, show_argv);
	} else {
		ret = current->fn(&nl, argc, argv);
	}
	sg_nl_close(&nl);
	return ret;
}
