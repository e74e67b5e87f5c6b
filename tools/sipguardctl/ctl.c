// SPDX-License-Identifier: GPL-2.0
/*
 * What every command shares: the error reports, and the socket to the
 * module in the network namespace of -n.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include "ctl.h"
#include "genl.h"

static const struct cmd *current;
static const char *netns;

void ctl_set_netns(const char *name)
{
	netns = name;
}

const char *ctl_netns(void)
{
	return netns;
}

void ctl_set_cmd(const struct cmd *c)
{
	current = c;
}

/*
 * As `ip netns identify`: the name under /run/netns of the namespace this
 * process is in, found by the inode of its namespace file; "" for none.
 */
static void identify(char *buf, size_t len)
{
	struct stat self, st;
	struct dirent *d;
	char path[512];
	DIR *dir;

	buf[0] = '\0';
	if (stat("/proc/self/ns/net", &self))
		return;
	dir = opendir("/run/netns");
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", d->d_name);
		if (!stat(path, &st) && st.st_dev == self.st_dev && st.st_ino == self.st_ino) {
			snprintf(buf, len, "%s", d->d_name);
			break;
		}
	}
	closedir(dir);
}

void ctl_netns_name(char *buf, size_t len)
{
	const char *slash;

	if (!netns) {
		identify(buf, len);
		return;
	}
	slash = strrchr(netns, '/');
	snprintf(buf, len, "%s", slash ? slash + 1 : netns);
}

int ctl_connect(struct sg_nl *nl)
{
	char path[512];
	int ret, fd;

	if (nl->sock)
		return EXIT_OK;
	if (netns) {
		/* As `ip -n`: a name under /run/netns, or a path. */
		snprintf(path, sizeof(path), "%s%s", strchr(netns, '/') ? "" : "/run/netns/", netns);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
			fprintf(stderr, "sipguardctl: network namespace %s: %s\n", netns, strerror(errno));
			if (fd >= 0)
				close(fd);
			return EXIT_FAIL;
		}
		close(fd);
	}
	ret = sg_nl_open(nl);
	if (ret == -ENOENT) {
		fprintf(stderr, "sipguardctl: the sipguard module is not loaded (modprobe sipguard)\n");
		return EXIT_NOMODULE;
	}
	if (ret)
		return report("cannot talk to the kernel", ret, NULL);
	return EXIT_OK;
}

int report(const char *what, int err, const struct sg_nl *nl)
{
	fprintf(stderr, "sipguardctl: %s: %s%s%s\n", what, strerror(-err),
		nl && nl->extack[0] ? ": " : "", nl ? nl->extack : "");
	return EXIT_FAIL;
}

int usage_error(const struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	if (!c)
		c = current;
	fputs("sipguardctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c)
		fprintf(stderr, "Usage: sipguardctl %s %s\n", c->name, c->usage);
	return EXIT_USAGE;
}
