// SPDX-License-Identifier: GPL-2.0
/*
 * Atomic output files (out.h): mkstemp() beside the target, so that the
 * rename stays in one filesystem, and "NAME.XXXXXX" never ends in .prom or
 * .conf, the names node_exporter and setconf's drop-in directory read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"
#include "out.h"

static char *target, *tmp;

int out_open(const char *path)
{
	mode_t mask;
	int fd;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		tmp = NULL;
		return report(path, -ENOMEM, NULL);
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "sipguardctl: %s: %s\n", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		return EXIT_FAIL;
	}
	/* mkstemp() makes it 0600: give it what a new file would get. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0644 & ~mask) || fflush(stdout) || dup2(fd, STDOUT_FILENO) < 0) {
		fprintf(stderr, "sipguardctl: %s: %s\n", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		tmp = NULL;
		return EXIT_FAIL;
	}
	close(fd);
	target = strdup(path);
	return EXIT_OK;
}

int out_close(int status)
{
	if (!tmp)
		return status;
	if (!status && (fflush(stdout) || ferror(stdout) || fsync(STDOUT_FILENO) ||
			!target || rename(tmp, target))) {
		fprintf(stderr, "sipguardctl: %s: %s\n", target ? target : tmp,
			strerror(errno ? errno : ENOMEM));
		status = EXIT_FAIL;
	}
	if (status)
		unlink(tmp);
	free(tmp);
	free(target);
	tmp = target = NULL;
	return status;
}
