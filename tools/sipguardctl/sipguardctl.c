// SPDX-License-Identifier: GPL-2.0
/*
 * sipguardctl: configure and inspect the sipguard module of the current
 * network namespace.  `sipguardctl` alone is `sipguardctl show`.
 */
#include <errno.h>
#include <getopt.h>
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
	  "[mode off|monitor|enforce] [policy strict|open] [ports LIST]\n"
	  "          [tls-ports LIST] [guard IFLIST|all] [rate R] [burst B] [ban SECONDS]\n"
	  "          [budget R] [prefix4 N] [prefix6 N] [table-max N]\n"
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
	{ "stats", cmd_stats, "[reset] [prometheus] [-o FILE]",
	  "the counters; reset returns them and zeroes them in one step; prometheus\n"
	  "      prints them and the tables' sizes for node_exporter's textfile collector;\n"
	  "      -o writes FILE whole or not at all (a temporary file renamed)" },
	{ "monitor", cmd_monitor, "[--log]",
	  "print bans, unbans and sampled drops as they happen, one per line, until\n"
	  "      interrupted; --log: bans, unbans and expiries in the event log's\n"
	  "      format; needs CAP_NET_ADMIN" },
	{ "showconf", cmd_showconf, "[-o FILE]",
	  "the whole configuration (every setting, the signatures, the allowlist,\n"
	  "      the denylist, the XDP devices) as one file that setconf reads; -o writes\n"
	  "      FILE whole or not at all" },
	{ "setconf", cmd_setconf, "[--check] FILE|-",
	  "make the configuration exactly the file and its drop-ins FILE.d/*.conf\n"
	  "      (a setting they leave out gets the module's default); a bad file changes\n"
	  "      nothing; --check only checks, without the module" },
	{ "xdp", cmd_xdp, "attach DEV [native|generic] | detach DEV | show",
	  "the XDP tier: drop at the driver what the module certainly drops; the\n"
	  "      module decides (kfunc), the netfilter hook judges the rest" },
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

/*
 * --json takes an optional yes/no (1/0, on/off, true/false), as scripts
 * built for other tools pass it; -j alone is yes.
 */
static int json_arg(const char *s)
{
	static const char *const yes[] = { "1", "yes", "on", "true" };
	static const char *const no[] = { "0", "no", "off", "false" };

	if (!s)
		return 1;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i]))
			return 1;
		if (!strcmp(s, no[i]))
			return 0;
	}
	return -1;
}

/*
 * The options before the command, by getopt_long's conventions: grouped
 * short flags (-jV), -nNETNS, --netns NETNS and --netns=NETNS, "--" ends
 * them.  '+': the first word that is no option is the command, and every
 * word after it belongs to the command (setconf --check, deny replace
 * --origin).  opterr is 0: the messages are sipguardctl's own, as they were
 * before getopt.  Returns -1 to go on, or the exit status.
 */
static int parse_options(int argc, char **argv, const char **check)
{
	static const struct option opts[] = {
		{ "json",	optional_argument,	NULL, 'j' },
		{ "netns",	required_argument,	NULL, 'n' },
		{ "check",	required_argument,	NULL, 'c' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, j;

	opterr = 0;
	for (;;) {
		/* The word getopt reads now: optind moves past it once done. */
		const char *given = optind < argc ? argv[optind] : "";

		c = getopt_long(argc, argv, "+:jn:c:hV", opts, NULL);
		if (c == -1)
			break;

		switch (c) {
		case 'j':
			j = json_arg(optarg);
			if (j < 0) {
				fprintf(stderr, "sipguardctl: --json takes yes or no, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			print_json = j;
			break;
		case 'n':
		case 'c':
			if (!optarg[0]) {
				fprintf(stderr, "sipguardctl: %s needs an argument\n", given);
				usage(stderr);
				return EXIT_USAGE;
			}
			if (c == 'n')
				ctl_set_netns(optarg);
			else
				*check = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("sipguardctl %s\n", SIPGUARDCTL_VERSION);
			return EXIT_OK;
		case ':':
			fprintf(stderr, "sipguardctl: %s needs an argument\n", given);
			usage(stderr);
			return EXIT_USAGE;
		default:
			/* An unknown short option inside a group is named alone. */
			if (strncmp(given, "--", 2))
				fprintf(stderr, "sipguardctl: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "sipguardctl: unknown option '%s'\n", given);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	const struct cmd *current;
	const char *check = NULL;
	struct sg_nl nl;
	int i, ret;

	ret = parse_options(argc, argv, &check);
	if (ret >= 0)
		return ret;
	i = optind;
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
