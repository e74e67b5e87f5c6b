/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `-o FILE` of showconf and `stats prometheus`: what the command prints to
 * standard output goes to a temporary file beside FILE, renamed onto FILE
 * once the command succeeded (a reader sees the old file or the new one,
 * whole; a failure leaves the old one).
 */
#ifndef SIPGUARDCTL_OUT_H
#define SIPGUARDCTL_OUT_H

/* Standard output to a temporary file beside @path; 0, or the exit status after saying why. */
int out_open(const char *path);
/*
 * With @status 0, the temporary file becomes @path (mode 0644, less the
 * umask); else it is removed.  Returns @status, or 1 if the file could
 * not be written.  Nothing without out_open().
 */
int out_close(int status);

#endif
