// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for tools/sipguardctl/grammar.c, the one grammar of `set`,
 * configuration files and `allow replace` files, without the module:
 *  - every key of `set` is a file line, and the same value means the same
 *    thing (and the same refusal) on both;
 *  - an empty item in a list is refused everywhere;
 *  - errors name the right line;
 *  - signatures: quoting, `signatures default|none`, duplicates in any case;
 *  - the module's defaults from a parameters directory;
 *  - `xdp DEV [native|generic]` lines: read, refused, written back;
 *  - every error of a file is reported (up to CONF_MAX_ERRORS, then how
 *    many more), a UTF-8 byte order mark is no error, a host name on an
 *    allow line is told how names are written;
 *  - drop-ins: FILE.d/NAME.conf in byte order after the file, read as one
 *    file with its errors named by file and line;
 *  - a property test: random valid configurations written by conf_format()
 *    and conf_format_xdp() read back by conf_file_read() to the same values
 *    and the same bytes
 *    (seed in SG_SEED, else fixed; printed).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "grammar.h"

static struct sg_conf defaults;

/* Parse @text as a file; 0 or -1, the message in @err. */
static int parse_text(const char *text, struct conf_file *f, char *err, size_t el)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int ret;

	memset(f, 0, sizeof(*f));
	f->path = "F";
	if (!in)
		abort();
	ret = conf_file_read(f, in, &defaults);
	fclose(in);
	snprintf(err, el, "%s", ret ? f->err : "");
	return ret;
}

static int parse_allow_text(const char *text, struct conf_file *f, char *err, size_t el)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int ret;

	memset(f, 0, sizeof(*f));
	f->path = "F";
	if (!in)
		abort();
	ret = allow_file_read(f, in);
	fclose(in);
	snprintf(err, el, "%s", ret ? f->err : "");
	return ret;
}

/* @text must be refused at "F:@line: ..." with @msg in the message. */
static void refused(const char *text, unsigned int line, const char *msg)
{
	struct conf_file *f = malloc(sizeof(*f));
	char err[1100], want[32];
	int ret = parse_text(text, f, err, sizeof(err));

	snprintf(want, sizeof(want), "F:%u: ", line);
	tap_ok(ret && !strncmp(err, want, strlen(want)) && strstr(err, msg),
	       "refused at line %u with '%s': %s", line, msg, ret ? err : "(accepted)");
	conf_file_free(f);
	free(f);
}

static void accepted(const char *text, const char *what)
{
	struct conf_file *f = malloc(sizeof(*f));
	char err[1100];

	tap_ok(!parse_text(text, f, err, sizeof(err)), "accepted: %s %s", what, err);
	conf_file_free(f);
	free(f);
}

/* Every key: a good and a bad value, the same on `set` and in a file. */
static void test_keys(void)
{
	static const struct { const char *key, *good, *bad; } v[] = {
		{ "mode", "enforce", "bogus" }, { "policy", "open", "closed" },
		{ "ports", "5060,5080,5160-5170", "5060,,5080" },
		{ "tls-ports", "none", "5061," }, { "guard", "wan0,ppp0", "wan0,,ppp0" },
		{ "learn", "on", "yes" }, { "learn-max", "256", "257" },
		{ "rate", "7", "0" }, { "burst", "9", "1000001" }, { "ban", "0", "-1" },
		{ "budget", "0", "1e3" }, { "prefix4", "24", "7" }, { "prefix6", "128", "129" },
		{ "table-max", "16", "15" }, { "untrusted-invite", "refuse", "drop" },
		{ "failures", "0", "1001" }, { "failure-window", "86400", "0" },
		{ "ban-max", "604800", "604801" },
	};
	char text[256], why[512], buf[1024];
	struct sg_conf c;

	tap_ok(sizeof(v) / sizeof(v[0]) == N_KEYS, "the test covers all %d keys", N_KEYS);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int k = conf_key_lookup(v[i].key);

		tap_ok(k >= 0, "'%s' is a key of set", v[i].key);
		if (k < 0)
			continue;
		c = defaults;
		tap_ok(!conf_key_parse(k, v[i].good, &c, why, sizeof(why)) &&
		       !conf_key_format(k, &c, buf, sizeof(buf)),
		       "set %s %s is accepted and written back as '%s'", v[i].key, v[i].good, buf);
		snprintf(text, sizeof(text), "%s %s\n", v[i].key, v[i].good);
		accepted(text, v[i].key);
		tap_ok(conf_key_parse(k, v[i].bad, &c, why, sizeof(why)) == -1,
		       "set %s %s is refused: %s", v[i].key, v[i].bad, why);
		snprintf(text, sizeof(text), "\n%s %s\n", v[i].key, v[i].bad);
		refused(text, 2, "");
	}
}

static void test_lists(void)
{
	static const char *const bad_ports[] = {
		"", ",", "5060,", ",5060", "5060,,5080", "5060-", "-5060", "0", "65536",
		"5070-5060", "5060 ", "+5060", "none,5060",
	};
	struct port_list pl;
	struct sg_conf c = defaults;
	char why[512], buf[1024], ports[1024] = "";
	int k = conf_key_lookup("ports");

	for (size_t i = 0; i < sizeof(bad_ports) / sizeof(bad_ports[0]); i++)
		tap_ok(conf_key_parse(k, bad_ports[i], &c, why, sizeof(why)) == -1,
		       "ports '%s' is refused", bad_ports[i]);
	for (int i = 0; i < 64; i++)
		snprintf(ports + strlen(ports), sizeof(ports) - strlen(ports), "%s%d", i ? "," : "",
			 1000 + 2 * i);
	tap_ok(!conf_key_parse(k, ports, &c, why, sizeof(why)) && c.sip.n == 64,
	       "64 port ranges are accepted");
	conf_key_format(k, &c, buf, sizeof(buf));
	tap_ok(!strcmp(buf, ports), "... and written back as given");
	strcat(ports, ",9999");
	tap_ok(conf_key_parse(k, ports, &c, why, sizeof(why)) == -1, "65 are refused: %s", why);
	(void)pl;
	k = conf_key_lookup("guard");
	tap_ok(conf_key_parse(k, "a,b,a", &c, why, sizeof(why)) == -1 && strstr(why, "twice"),
	       "guard a,b,a: %s", why);
	tap_ok(conf_key_parse(k, "averyveryverylongname0", &c, why, sizeof(why)) == -1,
	       "guard with a name of 22 characters is refused");
	tap_ok(!conf_key_parse(k, "all", &c, why, sizeof(why)) && c.n_ifaces == 0,
	       "guard all is the empty list");
	tap_ok(conf_key_parse(k, "wan0,all", &c, why, sizeof(why)) == -1,
	       "guard wan0,all is refused");
	c = defaults;
	tap_ok(ports_overlap(&c) == 0, "the default ports do not overlap");
	conf_key_parse(conf_key_lookup("tls-ports"), "5050-5070", &c, why, sizeof(why));
	tap_ok(ports_overlap(&c) == 5060, "tls-ports 5050-5070 overlaps ports 5060 at 5060");
}

static void test_file_errors(void)
{
	refused("mode enforce\nallow 192.0.2.1/24\n", 2, "did you mean 192.0.2.0/24");
	refused("allow 203.0.113.0/24\nmode off\nfrobnicate 1\n", 3, "unknown key 'frobnicate'");
	refused("mode off\n\nmode enforce\n", 3, "set twice (also on line 1)");
	refused("allow 192.0.2.0/24\nallow 198.51.100.0/24\nallow 192.0.2.0/24\n", 3,
		"already on line 1");
	refused("allow 192.0.2.0/24 port 70000\n", 1, "port must be 1-65535");
	refused("allow 192.0.2.0/24 port\n", 1, "port must be 1-65535");
	refused("allow 192.0.2.0/24 name\n", 1, "name needs a DNS name");
	refused("allow 192.0.2.0/24 name a..b\n", 1, "");
	refused("allow 192.0.2.0/24 color red\n", 1, "unexpected 'color'");
	refused("ports 5060,5070\ntls-ports 5065-5075\n", 2, "port 5070 would be both");
	refused("ports 5061\n", 1, "both a SIP port and a TLS port (default tls-ports)");
	refused("mode enforce extra\n", 1, "takes one value");
	refused("learn\n", 1, "takes one value");
	refused("signature\n", 1, "expected 'signature STRING'");
	refused("signature \"open\n", 1, "quote is not closed");
	refused("signature \"a\"b\n", 1, "blank must follow");
	refused("signature \"\"\n", 1, "1-63 characters");
	refused("signature a\nsignatures none\n", 2, "must come before");
	refused("signatures none\nsignatures none\n", 2, "set twice");
	refused("signatures some\n", 1, "signatures default");
	refused("signature Foo\n\nsignature fOO\n", 3, "already on line 1");
	refused("signature SIPVICIOUS\n", 1, "is a default one");
	refused("signature 0123456789012345678901234567890123456789012345678901234567890123\n", 1,
		"1-63 characters");
	accepted("mode enforce # comment\n   # only a comment\n\n", "comments and blank lines");
	accepted("allow 192.0.2.0/24\nallow 192.0.2.0/24 port 5060\nallow 192.0.2.0/24 name a.example\n",
		 "the same prefix with a port or a name is another entry");
}

/* @err on one line, for a TAP description: the messages joined by " | ". */
static const char *flat(const char *err)
{
	static char buf[CONF_MAX_ERRORS * CONF_ERR_LEN];
	char *p;

	snprintf(buf, sizeof(buf), "%s", err);
	while ((p = strchr(buf, '\n')))
		*p = '|';
	return buf;
}

/* Every error of a file, in order, up to the limit; then how many more. */
static void test_all_errors(void)
{
	struct conf_file *f = malloc(sizeof(*f));
	char err[CONF_MAX_ERRORS * CONF_ERR_LEN + 256], text[2048] = "";
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem;
	int ret;

	ret = parse_text("mode bogus\nallow 192.0.2.1/24\nports 5060\nfrobnicate 1\n"
			 "allow 198.51.100.0/24\nallow 198.51.100.0/24\nallow 198.51.100.0/24\n",
			 f, err, sizeof(err));
	tap_ok(ret && f->n_err == 5 && !strncmp(err, "F:1: ", 5) && strstr(err, "\nF:2: ") &&
	       strstr(err, "\nF:4: unknown key 'frobnicate'") &&
	       strstr(err, "\nF:6: 'allow 198.51.100.0/24' is already on line 5") &&
	       strstr(err, "\nF:7: 'allow 198.51.100.0/24' is already on line 5") &&
	       !strstr(err, "F:3"),
	       "every error of a file, in line order, each duplicate named with the first: %s", flat(err));
	conf_file_free(f);

	for (int i = 1; i <= CONF_MAX_ERRORS + 5; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "bogus%d 1\n", i);
	ret = parse_text(text, f, err, sizeof(err));
	mem = open_memstream(&out, &outlen);
	if (!mem)
		abort();
	conf_file_print_errors(f, mem);
	fclose(mem);
	tap_ok(ret && f->n_err == CONF_MAX_ERRORS + 5 && strstr(out, "sipguardctl: F:20: unknown key 'bogus20'\n") &&
	       !strstr(out, "bogus21") && strstr(out, "sipguardctl: F: 5 more errors\n"),
	       "%d errors are reported, then how many more", CONF_MAX_ERRORS);
	free(out);
	conf_file_free(f);
	free(f);
}

static void test_bom_and_names(void)
{
	refused("\xef\xbb\xbfmode bogus\n", 1, "mode must be");
	accepted("\xef\xbb\xbfmode enforce\n", "a UTF-8 byte order mark before the first line");
	refused("mode enforce\n\xef\xbb\xbfpolicy open\n", 2, "unknown key");
	refused("allow sip.provider.example\n", 1,
		"is a name, not an address: a file lists its addresses as 'allow ADDRESS name sip.provider.example'");
	refused("allow sip.provider.example port 5060\n", 1, "`sipguardctl allow add sip.provider.example`");
	refused("allow 192.0.2.300\n", 1, "not an IPv4 or IPv6 address");
	refused("allow 2001:db8::g\n", 1, "not an IPv4 or IPv6 address");
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = fopen(path, "w");
	if (!out || fputs(text, out) < 0 || fclose(out))
		abort();
}

/* Read @main and the drop-ins of @dir as setconf does; 0 or -1, the messages in @err. */
static int parse_all(const char *main_text, const char *dir, struct conf_file *f, char *err, size_t el)
{
	FILE *in = fmemopen((void *)main_text, strlen(main_text), "r");
	int ret;

	memset(f, 0, sizeof(*f));
	f->path = "M";
	if (!in)
		abort();
	ret = conf_file_read_all(f, in, dir, &defaults);
	fclose(in);
	snprintf(err, el, "%s", ret ? f->err : "");
	return ret;
}

static void test_dropins(void)
{
	char dir[] = "/tmp/sg_dropins_XXXXXX", sub[64], err[CONF_MAX_ERRORS * CONF_ERR_LEN], want[256];
	struct conf_file *f = malloc(sizeof(*f));
	char **names;
	int n, ret;

	if (!f || !mkdtemp(dir))
		abort();
	n = conf_dropins("/nonexistent/sg.conf.d", &names);
	tap_ok(n == 0 && !names, "drop-ins: a directory that does not exist has none");
	write_file(dir, "9-b.conf", "signature Bee\nallow 198.51.100.2\n");
	write_file(dir, "10-a.conf", "\xef\xbb\xbfsignature Aye\npolicy open\n");
	write_file(dir, "50-local.conf", "mode enforce\nallow 198.51.100.1\n");
	write_file(dir, ".hidden.conf", "bogus 1\n");
	write_file(dir, "x.conf.dpkg-old", "bogus 1\n");
	write_file(dir, "README", "bogus 1\n");
	snprintf(sub, sizeof(sub), "%s/dir.conf", dir);
	if (mkdir(sub, 0755))
		abort();
	n = conf_dropins(dir, &names);
	tap_ok(n == 3 && strstr(names[0], "/10-a.conf") && strstr(names[1], "/50-local.conf") &&
	       strstr(names[2], "/9-b.conf"),
	       "drop-ins: NAME.conf only, not hidden, no directory, in byte order (10-a, 50-local, 9-b)");
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);

	ret = parse_all("# only comments\nlearn on\n", dir, f, err, sizeof(err));
	tap_ok(!ret && f->set.learn == 1 && f->set.policy == SIPGUARD_POLICY_OPEN &&
	       f->set.mode == SIPGUARD_MODE_ENFORCE && f->allow.n == 2 &&
	       f->sigs.n == n_default_sigs + 2 && !strcmp(f->sigs.s[n_default_sigs], "Aye") &&
	       !strcmp(f->sigs.s[n_default_sigs + 1], "Bee"),
	       "drop-ins: the file, then its drop-ins in order, read as one %s", flat(err));
	conf_file_free(f);

	ret = parse_all("mode monitor\nallow 198.51.100.2\n", dir, f, err, sizeof(err));
	snprintf(want, sizeof(want), "%s/50-local.conf:1: 'mode' is set twice (also on M:1)", dir);
	tap_ok(ret && f->n_err == 2 && strstr(err, want),
	       "drop-ins: a key in the file and a drop-in is named in both: %s", flat(err));
	snprintf(want, sizeof(want), "%s/9-b.conf:2: 'allow 198.51.100.2/32' is already on M:2", dir);
	tap_ok(ret && strstr(err, want), "drop-ins: a duplicate entry is named in both files: %s", flat(err));
	conf_file_free(f);

	write_file(dir, "60-bad.conf", "policy open\nfrobnicate\n");
	ret = parse_all("bogus 1\n", dir, f, err, sizeof(err));
	snprintf(want, sizeof(want), "M:1: unknown key 'bogus'\n%s/60-bad.conf:1: 'policy' is set twice (also on %s/10-a.conf:2)\n%s/60-bad.conf:2: unknown key 'frobnicate'",
		 dir, dir, dir);
	tap_ok(ret && f->n_err == 3 && !strcmp(err, want), "drop-ins: every error of every file, by file and line: %s", flat(err));
	conf_file_free(f);
	free(f);
	for (const char *const *nm = (const char *const[]){ "9-b.conf", "10-a.conf", "50-local.conf",
			".hidden.conf", "x.conf.dpkg-old", "README", "60-bad.conf", NULL }; *nm; nm++) {
		snprintf(sub, sizeof(sub), "%s/%s", dir, *nm);
		unlink(sub);
	}
	snprintf(sub, sizeof(sub), "%s/dir.conf", dir);
	rmdir(sub);
	rmdir(dir);
}

/* `deny` lines: the entries with their origins, and what is refused. */
static void test_deny(void)
{
	struct conf_file *f = malloc(sizeof(*f));
	struct deny_entry e;
	char err[1100], buf[128], *w[6];
	char *words[] = { "2001:db8::/32", "timeout", "60", "origin", "feed.a_b-1" };
	int ok;

	ok = !parse_text("deny 203.0.113.0/24\ndeny 2001:db8:66::/48 timeout 600 origin scanners\n"
			 "deny 198.51.100.7 origin manual\n", f, err, sizeof(err));
	tap_ok(ok && f->deny.n == 3, "deny: three lines read (%s)", err);
	if (ok && f->deny.n == 3) {
		tap_ok(!strcmp(f->deny.v[0].origin, "manual") && f->deny.v[0].timeout == 0 &&
		       f->deny.v[0].line == 1, "deny: the default origin, permanent");
		tap_ok(!strcmp(f->deny.v[1].origin, "scanners") && f->deny.v[1].timeout == 600 &&
		       f->deny.v[1].p.len == 16 && f->deny.v[1].p.plen == 48, "deny: IPv6, timeout, origin");
		format_deny(&f->deny.v[1], buf, sizeof(buf));
		tap_ok(!strcmp(buf, "2001:db8:66::/48 timeout 600 origin scanners"), "deny: written back (%s)", buf);
		format_deny(&f->deny.v[2], buf, sizeof(buf));
		tap_ok(!strcmp(buf, "198.51.100.7/32"), "deny: the default origin is left out (%s)", buf);
	}
	conf_file_free(f);
	free(f);
	refused("deny 203.0.113.1/24\n", 1, "did you mean 203.0.113.0/24");
	refused("mode off\ndeny 203.0.113.0/24 timeout 0\n", 2, "seconds, 1-31536000");
	refused("deny 203.0.113.0/24 timeout 31536001\n", 1, "seconds, 1-31536000");
	refused("deny 203.0.113.0/24 origin Scanners\n", 1, "only a-z");
	refused("deny 203.0.113.0/24 origin abcdefghijklmnopqrstuvwxyz012345\n", 1, "1-31 characters");
	refused("deny 203.0.113.0/24 port 5060\n", 1, "unexpected 'port'");
	refused("deny\n", 1, "a prefix is required");
	refused("deny 203.0.113.0/24 timeout\n", 1, "needs a value");
	refused("deny 192.0.2.1 origin o1\ndeny 192.0.2.2 origin o2\ndeny 192.0.2.3 origin o3\n"
		"deny 192.0.2.4 origin o4\ndeny 192.0.2.5 origin o5\ndeny 192.0.2.6 origin o6\n"
		"deny 192.0.2.7 origin o7\ndeny 192.0.2.8 origin o8\ndeny 192.0.2.9 origin o9\n"
		"deny 192.0.2.10 origin o10\ndeny 192.0.2.11 origin o11\ndeny 192.0.2.12 origin o12\n"
		"deny 192.0.2.13 origin o13\ndeny 192.0.2.14 origin o14\ndeny 192.0.2.15 origin o15\n"
		"deny 192.0.2.16 origin o16\ndeny 192.0.2.17 origin o16\ndeny 192.0.2.18 origin o17\n",
		18, "more than 16 deny origins");
	memcpy(w, words, sizeof(words));
	tap_ok(!parse_deny_words(5, w, &e, true, false, err, sizeof(err)) && e.timeout == 60 &&
	       !strcmp(e.origin, "feed.a_b-1"), "deny: `deny add` words");
	tap_ok(parse_deny_words(5, w, &e, true, true, err, sizeof(err)) != 0,
	       "deny: `deny del` takes no timeout");
	tap_ok(parse_deny_words(5, w, &e, false, false, err, sizeof(err)) != 0,
	       "deny: a replace file's line takes no origin");
}

static void test_sigs(void)
{
	struct conf_file *f = malloc(sizeof(*f));
	char err[1100];
	int ret;

	ret = parse_text("mode off\n", f, err, sizeof(err));
	tap_ok(!ret && f->sigs.n == n_default_sigs && !strcmp(f->sigs.s[0], default_sigs[0]),
	       "no signature line: the default list (%u)", f->sigs.n);
	conf_file_free(f);
	ret = parse_text("signatures none\n", f, err, sizeof(err));
	tap_ok(!ret && f->sigs.n == 0, "signatures none: an empty list");
	conf_file_free(f);
	ret = parse_text("signature EvilScan\n", f, err, sizeof(err));
	tap_ok(!ret && f->sigs.n == n_default_sigs + 1 && !strcmp(f->sigs.s[n_default_sigs], "EvilScan"),
	       "signature EvilScan alone: the default list, then EvilScan");
	conf_file_free(f);
	ret = parse_text("signatures none\nsignature \"Nmap NSE\"\nsignature \"a \\\"b\\\" \\\\ # c\"   # x\n",
			 f, err, sizeof(err));
	tap_ok(!ret && f->sigs.n == 2 && !strcmp(f->sigs.s[0], "Nmap NSE") &&
	       !strcmp(f->sigs.s[1], "a \"b\" \\ # c"), "quoted signatures with blanks, quotes, '#' %s", err);
	conf_file_free(f);
	free(f);
}

/* A value the file cannot carry is an error, never a shorter file. */
static void test_unwritable(void)
{
	struct sig_list *sigs = calloc(1, sizeof(*sigs));
	struct allow_vec a = { 0 };
	struct sg_conf c = defaults;
	char why[512], *text;

	c.n_ifaces = 2;
	snprintf(c.ifaces[0], IFNAMSIZ, "wan0");
	snprintf(c.ifaces[1], IFNAMSIZ, "a b");
	text = conf_format(&c, sigs, &a, why, sizeof(why));
	tap_ok(!text && strstr(why, "guard"), "an interface name with a blank: no file (%s)", why);
	free(text);
	c = defaults;
	c.mode = 7;
	text = conf_format(&c, sigs, &a, why, sizeof(why));
	tap_ok(!text && strstr(why, "mode"), "a mode this sipguardctl does not know: no file (%s)", why);
	free(text);
	c = defaults;
	sigs->n = 1;
	snprintf(sigs->s[0], sizeof(sigs->s[0]), "tab\there");
	text = conf_format(&c, sigs, &a, why, sizeof(why));
	tap_ok(!text && strstr(why, "signature"), "a signature with a tab: no file (%s)", why);
	free(text);
	free(sigs);
}

static void test_xdp(void)
{
	static const char text[] = "xdp wan0\nxdp ppp0 generic\nxdp eth1 native\n";
	struct conf_file *f = malloc(sizeof(*f));
	struct xdp_list *x = calloc(1, sizeof(*x));
	char err[1100], why[512], big[2048] = "", *out;
	int ret;

	ret = parse_text(text, f, err, sizeof(err));
	tap_ok(!ret && f->xdp.n == 3 && !strcmp(f->xdp.v[0].dev, "wan0") &&
	       f->xdp.v[0].mode == XDP_MODE_ANY && f->xdp.v[1].mode == XDP_MODE_GENERIC &&
	       f->xdp.v[2].mode == XDP_MODE_NATIVE && f->xdp.v[2].line == 3,
	       "xdp lines: three devices, their modes and lines %s", err);
	out = ret ? NULL : conf_format_xdp(&f->xdp, why, sizeof(why));
	tap_ok(out && !strcmp(out, text), "... written back as read: %s", out ? out : why);
	free(out);
	conf_file_free(f);
	ret = parse_text("mode enforce\n", f, err, sizeof(err));
	out = ret ? NULL : conf_format_xdp(&f->xdp, why, sizeof(why));
	tap_ok(!ret && f->xdp.n == 0 && out && !*out, "no xdp line: no device, nothing written");
	free(out);
	conf_file_free(f);
	refused("xdp\n", 1, "expected 'xdp DEV [native|generic]'");
	refused("xdp wan0 native extra\n", 1, "expected 'xdp DEV [native|generic]'");
	refused("xdp wan0 offload\n", 1, "native or generic, not 'offload'");
	refused("mode off\nxdp wan0\n\nxdp wan0 generic\n", 4, "'xdp wan0' is already on line 2");
	refused("xdp averyveryverylongname0\n", 1, "not an interface name");
	refused("xdp a,b\n", 1, "not an interface name");
	refused("xdp all\n", 1, "not an interface name");
	for (int i = 0; i <= XDP_MAX_DEVS; i++)
		snprintf(big + strlen(big), sizeof(big) - strlen(big), "xdp v%d\n", i);
	refused(big, XDP_MAX_DEVS + 1, "more than 32 xdp interfaces");
	ret = parse_allow_text("xdp wan0\n", f, err, sizeof(err));
	tap_ok(ret && strstr(err, "F:1: "), "allow replace: an xdp line is not an allow line: %s", err);
	conf_file_free(f);
	x->n = 1;
	snprintf(x->v[0].dev, sizeof(x->v[0].dev), "a b");
	out = conf_format_xdp(x, why, sizeof(why));
	tap_ok(!out && strstr(why, "'a b'"), "an xdp device with a blank: no file (%s)", why);
	free(out);
	free(x);
	free(f);
}

static void test_allow_replace(void)
{
	struct conf_file *f = malloc(sizeof(*f));
	char err[1100];
	int ret;

	ret = parse_allow_text("# provider\n192.0.2.0/24\n2001:db8::/32 port 5060 name SIP.Example.\n\n",
			       f, err, sizeof(err));
	tap_ok(!ret && f->allow.n == 2 && f->allow.v[1].p.port == 5060 &&
	       !strcmp(f->allow.v[1].p.name, "sip.example"),
	       "allow replace: the allow line's grammar %s", err);
	conf_file_free(f);
	ret = parse_allow_text("192.0.2.0/24\n\n192.0.2.0/24\n", f, err, sizeof(err));
	tap_ok(ret && strstr(err, "F:3: ") && strstr(err, "already on line 1"),
	       "allow replace: a duplicate names both lines: %s", err);
	conf_file_free(f);
	ret = parse_allow_text("192.0.2.0/24 port 0\n", f, err, sizeof(err));
	tap_ok(ret && strstr(err, "F:1: port must be 1-65535"), "allow replace: port 0: %s", err);
	conf_file_free(f);
	ret = parse_allow_text("mode enforce\n", f, err, sizeof(err));
	tap_ok(ret && strstr(err, "F:1: "), "allow replace: a setting line is refused: %s", err);
	conf_file_free(f);
	free(f);
}

static void test_defaults(void)
{
	char dir[] = "/tmp/sg_params_XXXXXX", path[64];
	struct sg_conf c;
	unsigned int from;
	FILE *out;

	from = conf_defaults(&c, "/nonexistent");
	tap_ok(!from && c.mode == SIPGUARD_MODE_MONITOR && c.sip.n == 1 && c.sip.r[0].min == 5060 &&
	       c.tls.r[0].min == 5061 && c.rate == 10 && c.burst == SIPGUARD_DEFAULT_BURST && c.ban == 600 &&
	       c.budget == 500 && c.prefix4 == 32 && c.prefix6 == 64 && c.table_max == 16384 &&
	       c.learn_max == 16 && !c.learn && !c.refuse_invite && !c.n_ifaces,
	       "the built-in defaults without the module");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/mode", dir);
	out = fopen(path, "w");
	fputs("enforce\n", out);
	fclose(out);
	snprintf(path, sizeof(path), "%s/ports", dir);
	out = fopen(path, "w");
	fputs("5060,5080\n", out);
	fclose(out);
	snprintf(path, sizeof(path), "%s/table_max", dir);
	out = fopen(path, "w");
	fputs("bogus\n", out);
	fclose(out);
	from = conf_defaults(&c, dir);
	tap_ok(from == ((1U << K_MODE) | (1U << K_PORTS)) && c.mode == SIPGUARD_MODE_ENFORCE &&
	       c.sip.n == 2 && c.sip.r[1].min == 5080 && c.table_max == 16384,
	       "the module's parameters override the built-in defaults (a bad one is ignored)");
	unlink(path);
	snprintf(path, sizeof(path), "%s/ports", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/mode", dir);
	unlink(path);
	rmdir(dir);
}

/* The property test. */
static unsigned long long rng;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)((rng >> 33) % n);
}

static void random_ports(struct port_list *pl, unsigned int base)
{
	unsigned int p = base;

	pl->n = rnd(4);
	for (unsigned int i = 0; i < pl->n; i++) {
		pl->r[i].min = (uint16_t)(p + rnd(50));
		pl->r[i].max = (uint16_t)(pl->r[i].min + (rnd(2) ? rnd(10) : 0));
		p = pl->r[i].max + 2;
	}
}

static void random_conf(struct sg_conf *c, struct sig_list *s, struct allow_vec *a)
{
	static const char sig_chars[] = "abcXYZ019 -_#\"\\'/.";
	char name[64];
	struct prefix p;

	*c = defaults;
	c->mode = rnd(3);
	c->policy = rnd(2);
	random_ports(&c->sip, 1000);
	random_ports(&c->tls, 30000);
	c->n_ifaces = rnd(4);
	for (unsigned int i = 0; i < c->n_ifaces; i++)
		snprintf(c->ifaces[i], IFNAMSIZ, "if%u-%u", i, rnd(100));
	c->learn = rnd(2);
	c->learn_max = 1 + rnd(256);
	c->rate = 1 + rnd(1000000);
	c->burst = 1 + rnd(1000000);
	c->ban = rnd(SIPGUARD_MAX_BAN + 1);
	c->budget = rnd(1000001);
	c->prefix4 = 8 + rnd(25);
	c->prefix6 = 16 + rnd(113);
	c->table_max = SIPGUARD_MIN_SOURCES + rnd(100000);
	c->refuse_invite = rnd(2);
	s->n = 0;
	if (rnd(2))
		for (unsigned int i = 0; i < n_default_sigs; i++)
			snprintf(s->s[s->n++], sizeof(s->s[0]), "%s", default_sigs[i]);
	for (unsigned int i = 0, n = rnd(10); i < n; i++) {
		unsigned int len = 1 + rnd(20);

		for (unsigned int j = 0; j < len; j++)
			s->s[s->n][j] = sig_chars[rnd(sizeof(sig_chars) - 1)];
		/* unique whatever the case: a number in it */
		snprintf(s->s[s->n] + len, sizeof(s->s[0]) - len, "%u", 100 + i);
		s->n++;
	}
	for (unsigned int i = 0, n = rnd(20); i < n; i++) {
		memset(&p, 0, sizeof(p));
		if (rnd(2)) {
			p.len = 4;
			p.addr[0] = 10;
			p.addr[1] = (uint8_t)i;
			p.plen = (uint8_t)(16 + rnd(17));
			if (p.plen >= 24)
				p.addr[2] = (uint8_t)rnd(256);
		} else {
			p.len = 16;
			p.addr[0] = 0x20;
			p.addr[1] = 0x01;
			p.addr[2] = 0x0d;
			p.addr[3] = 0xb8;
			p.addr[4] = (uint8_t)i;
			p.plen = (uint8_t)(40 + rnd(89));
		}
		p.port = rnd(2) ? (uint16_t)(1 + rnd(65535)) : 0;
		if (rnd(3) == 0) {
			snprintf(name, sizeof(name), "sip%u.provider.example", rnd(3));
			p.name = name;
		}
		allow_push(a, &p, 0);
	}
}

/* Up to 4 devices, each in a mode or none. */
static void random_xdp(struct xdp_list *x)
{
	char dev[IFNAMSIZ], why[512];

	x->n = 0;
	for (unsigned int i = 0, n = rnd(5); i < n; i++) {
		snprintf(dev, sizeof(dev), "x%u-%u", i, rnd(100));
		if (xdp_list_add(x, dev, rnd(3) ? xdp_mode_name(1 + rnd(2)) : NULL, 0, why, sizeof(why)))
			abort();
	}
}

/* What showconf prints: conf_format(), then conf_format_xdp(). */
static char *conf_format_all(const struct sg_conf *c, const struct sig_list *s,
			     const struct allow_vec *a, const struct xdp_list *x,
			     char *why, size_t wl)
{
	char *text = conf_format(c, s, a, why, wl), *xt, *all = NULL;

	xt = text ? conf_format_xdp(x, why, wl) : NULL;
	if (xt && asprintf(&all, "%s%s", text, xt) < 0)
		all = NULL;
	free(text);
	free(xt);
	return all;
}

static void test_property(unsigned long long seed, int rounds)
{
	struct sig_list *s = malloc(sizeof(*s));
	struct conf_file *f = malloc(sizeof(*f));
	struct xdp_list *xl = malloc(sizeof(*xl));
	struct allow_vec a = { 0 };
	struct sg_conf c;
	char why[512], err[1100];
	int bad = 0;

	rng = seed;
	tap_diag("property test: seed %llu (SG_SEED=%llu to repeat), %d rounds", seed, seed, rounds);
	for (int r = 0; r < rounds && !bad; r++) {
		char *text, *again;

		allow_clear(&a);
		random_conf(&c, s, &a);
		random_xdp(xl);
		text = conf_format_all(&c, s, &a, xl, why, sizeof(why));
		if (!text) {
			bad = tap_ok(0, "round %d: conf_format: %s", r, why) + 1;
			break;
		}
		if (parse_text(text, f, err, sizeof(err))) {
			bad = tap_ok(0, "round %d: the file does not read back: %s\n%s", r, err, text) + 1;
			free(text);
			break;
		}
		for (int k = 0; k < N_KEYS && !bad; k++) {
			char x[1024], y[1024];

			conf_key_format(k, &c, x, sizeof(x));
			conf_key_format(k, &f->set, y, sizeof(y));
			if (strcmp(x, y))
				bad = tap_ok(0, "round %d: %s %s read back as %s", r, conf_keys[k].name, x, y) + 1;
		}
		for (unsigned int i = 0; !bad && i < xl->n; i++)
			if (f->xdp.n != xl->n || strcmp(f->xdp.v[i].dev, xl->v[i].dev) ||
			    f->xdp.v[i].mode != xl->v[i].mode)
				bad = tap_ok(0, "round %d: xdp %s read back otherwise", r, xl->v[i].dev) + 1;
		if (!bad && (f->sigs.n != s->n || f->allow.n != a.n || f->xdp.n != xl->n))
			bad = tap_ok(0, "round %d: %u/%u signatures, %zu/%zu entries", r, f->sigs.n, s->n,
				     f->allow.n, a.n) + 1;
		for (unsigned int i = 0; !bad && i < s->n; i++)
			if (strcmp(f->sigs.s[i], s->s[i]))
				bad = tap_ok(0, "round %d: signature %s read back as %s", r, s->s[i],
					     f->sigs.s[i]) + 1;
		again = bad ? NULL : conf_format_all(&f->set, &f->sigs, &f->allow, &f->xdp, why,
						     sizeof(why));
		if (!bad && (!again || strcmp(text, again)))
			bad = tap_ok(0, "round %d: written again, the file differs", r) + 1;
		free(again);
		free(text);
		conf_file_free(f);
	}
	if (!bad)
		tap_ok(1, "%d random configurations: written, read back, the same values and bytes", rounds);
	allow_free(&a);
	free(xl);
	free(s);
	free(f);
}

int main(void)
{
	const char *seed = getenv("SG_SEED");

	tap_plan_start();
	conf_defaults(&defaults, NULL);
	test_keys();
	test_lists();
	test_file_errors();
	test_all_errors();
	test_bom_and_names();
	test_dropins();
	test_sigs();
	test_deny();
	test_unwritable();
	test_allow_replace();
	test_xdp();
	test_defaults();
	test_property(seed ? strtoull(seed, NULL, 10) : 20261130ULL, 500);
	return tap_done();
}
