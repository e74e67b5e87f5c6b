// SPDX-License-Identifier: GPL-2.0
/*
 * sg_failme.so: preloaded (LD_PRELOAD) into a command that the kernel's
 * failslab and fail_page_alloc are to hit (tools/vm/stress.sh faults).
 * Its constructor sets the task's make-it-fail once the dynamic loader has
 * mapped the program and its libraries, so exec and loading run without
 * faults and only the command's own work (netlink, namespace creation,
 * module load) meets them.  Failing to set it ends the command with 126:
 * a run that believes it injects faults must.
 */
#include <fcntl.h>
#include <unistd.h>

__attribute__((constructor)) static void sg_failme(void)
{
	static const char msg[] = "sg_failme: cannot set /proc/self/make-it-fail\n";
	int fd = open("/proc/self/make-it-fail", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "1", 1) != 1) {
		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(126);
		_exit(126);
	}
	close(fd);
}
