// SPDX-License-Identifier: GPL-2.0
/*
 * `sipguardctl xdp attach|detach|show`: the XDP tier (tools/xdp/sipguard.bpf.c,
 * embedded as a libbpf skeleton).  The program keeps no policy: it asks the
 * module through its kfunc, so nothing here is synchronised or can drift.
 * It is attached through netlink (not a bpf_link), so it stays attached
 * after sipguardctl exits, until `xdp detach` or the device goes away; while
 * attached it holds a reference on the module (rmmod says "in use").
 *
 * The configuration file's `xdp DEV [MODE]` lines (grammar.c) come here
 * too: setconf makes the namespace's attachments the file's (xdp_apply()),
 * showconf lists them (xdp_attached()).
 */
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "ctl.h"
#include "genl.h"
#include "grammar.h"
#include "print.h"
#include "xdp.h"
#include "sipguard_xdp.skel.h"

const bool xdp_built_in = true;

#define SG_XDP_PROG_NAME "sipguard_xdp"

struct xdp_state {
	__u32 prog_id;		/* 0: none attached */
	__u32 flags;		/* XDP_FLAGS_DRV_MODE or XDP_FLAGS_SKB_MODE */
	bool ours;		/* the program is sipguard's */
	bool unknown;		/* whose it is cannot be told (no privilege) */
	char name[BPF_OBJ_NAME_LEN];
};

static const char *mode_name(__u32 flags)
{
	if (flags & XDP_FLAGS_SKB_MODE)
		return "generic";
	if (flags & XDP_FLAGS_HW_MODE)
		return "offload";
	return "native";
}

/* What is attached to @ifindex; 0 or -errno. */
static int xdp_state(int ifindex, struct xdp_state *s)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int ret, fd;

	memset(s, 0, sizeof(*s));
	ret = bpf_xdp_query(ifindex, 0, &q);
	if (ret)
		return ret;
	if (q.drv_prog_id) {
		s->prog_id = q.drv_prog_id;
		s->flags = XDP_FLAGS_DRV_MODE;
	} else if (q.skb_prog_id) {
		s->prog_id = q.skb_prog_id;
		s->flags = XDP_FLAGS_SKB_MODE;
	} else if (q.hw_prog_id) {
		s->prog_id = q.hw_prog_id;
		s->flags = XDP_FLAGS_HW_MODE;
	}
	if (!s->prog_id)
		return 0;
	fd = bpf_prog_get_fd_by_id(s->prog_id);
	if (fd < 0) {
		/* Gone meanwhile, or no privilege: not ours to say. */
		s->unknown = errno == EPERM || errno == EACCES;
		return 0;
	}
	memset(&info, 0, sizeof(info));
	if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
		snprintf(s->name, sizeof(s->name), "%s", info.name);
		s->ours = !strcmp(info.name, SG_XDP_PROG_NAME);
	}
	close(fd);
	return 0;
}

static int dev_index(const char *dev)
{
	unsigned int i = if_nametoindex(dev);

	/* ENODEV: no such device; else the lookup's socket failed (ENOMEM, ENFILE). */
	if (!i && errno == ENODEV)
		fprintf(stderr, "sipguardctl: no device '%s' in this namespace\n", dev);
	else if (!i)
		fprintf(stderr, "sipguardctl: looking up device '%s': %s\n", dev, strerror(errno));
	return (int)i;
}

static __u32 mode_flags(unsigned int mode)
{
	switch (mode) {
	case XDP_MODE_NATIVE:
		return XDP_FLAGS_DRV_MODE;
	case XDP_MODE_GENERIC:
		return XDP_FLAGS_SKB_MODE;
	}
	/* the driver's native mode if it has one, else generic */
	return 0;
}

/*
 * The program reads an Ethernet header, and the module's verdict judges
 * Ethernet frames only (it passes anything else).  On a device without a
 * MAC header (tun, WireGuard, ipip) it would guard nothing: refuse, and
 * say that the netfilter hook guards such a device.  -errno, 0, or 1 when
 * it is not Ethernet.
 */
static int dev_not_ether(const char *dev)
{
	struct ifreq ifr = {};
	int fd, ret = 0;

	if (strlen(dev) >= sizeof(ifr.ifr_name))
		return -ENAMETOOLONG;
	strcpy(ifr.ifr_name, dev);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* The hardware address's family is the device type (ARPHRD_*). */
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		ret = -errno;
	else if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		ret = 1;
	close(fd);
	return ret;
}

/* Attach to @dev (@ifindex) in @mode (enum xdp_mode); EXIT_*. */
static int xdp_attach_dev(int ifindex, const char *dev, unsigned int mode, bool quiet)
{
	struct sipguard_xdp *skel;
	struct xdp_state s;
	__u32 flags = XDP_FLAGS_UPDATE_IF_NOEXIST | mode_flags(mode);
	int ret;

	ret = xdp_state(ifindex, &s);
	if (ret)
		return report("xdp: query", ret, NULL);
	if (s.prog_id && s.ours) {
		if (mode == XDP_MODE_ANY || (flags & s.flags)) {
			if (!quiet)
				printf("%s: sipguard XDP already attached (%s)\n", dev,
				       mode_name(s.flags));
			return EXIT_OK;
		}
		fprintf(stderr, "sipguardctl: %s: sipguard XDP attached in %s mode; detach first\n",
			dev, mode_name(s.flags));
		return EXIT_FAIL;
	}
	if (s.prog_id) {
		fprintf(stderr, "sipguardctl: %s has another XDP program (id %u, '%s'); not replaced\n",
			dev, s.prog_id, s.name);
		return EXIT_FAIL;
	}
	ret = dev_not_ether(dev);
	if (ret < 0)
		return report("xdp: device type", ret, NULL);
	if (ret) {
		fprintf(stderr, "sipguardctl: %s: not an Ethernet device; the XDP tier judges"
			" Ethernet frames only (the netfilter hook guards %s)\n", dev, dev);
		return EXIT_FAIL;
	}

	libbpf_set_print(NULL);
	skel = sipguard_xdp__open_and_load();
	if (!skel) {
		ret = -errno;
		fprintf(stderr, "sipguardctl: xdp: cannot load the XDP program (%s): the module's"
			" kfunc bpf_sipguard_xdp_verdict is not available; is the module loaded"
			" and was it built with BTF (dmesg: \"XDP tier unavailable\")?\n",
			strerror(-ret));
		return EXIT_FAIL;
	}
	ret = bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.sipguard_xdp), flags, NULL);
	/* The device holds the program now; our references go. */
	sipguard_xdp__destroy(skel);
	if (ret) {
		char what[128];

		snprintf(what, sizeof(what), "xdp: attach %s%s", dev,
			 mode != XDP_MODE_ANY ? " (does the driver support this mode?)" : "");
		return report(what, ret, NULL);
	}
	ret = xdp_state(ifindex, &s);
	if (!quiet)
		printf("%s: sipguard XDP attached (%s)\n", dev, ret ? "?" : mode_name(s.flags));
	return EXIT_OK;
}

static int xdp_attach(const char *dev, const char *mode)
{
	unsigned int m = XDP_MODE_ANY;
	int ifindex;

	if (mode && !strcmp(mode, "native"))
		m = XDP_MODE_NATIVE;
	else if (mode && !strcmp(mode, "generic"))
		m = XDP_MODE_GENERIC;
	else if (mode)
		return usage_error(NULL, "mode '%s': native or generic", mode);
	ifindex = dev_index(dev);
	if (!ifindex)
		return EXIT_FAIL;
	return xdp_attach_dev(ifindex, dev, m, false);
}

/* Detach sipguard's program from @dev (@ifindex); EXIT_*. */
static int xdp_detach_dev(int ifindex, const char *dev, bool quiet)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, o);
	struct xdp_state s;
	int ret, fd;

	ret = xdp_state(ifindex, &s);
	if (ret)
		return report("xdp: query", ret, NULL);
	if (!s.prog_id) {
		if (!quiet)
			printf("%s: no XDP program attached\n", dev);
		return EXIT_OK;
	}
	if (!s.ours) {
		fprintf(stderr, "sipguardctl: %s: the XDP program (id %u, '%s') is not sipguard's;"
			" not detached\n", dev, s.prog_id, s.name);
		return EXIT_FAIL;
	}
	/* Detach exactly that program, not one attached meanwhile. */
	fd = bpf_prog_get_fd_by_id(s.prog_id);
	if (fd < 0)
		return report("xdp: detach", -errno, NULL);
	o.old_prog_fd = fd;
	ret = bpf_xdp_detach(ifindex, s.flags | XDP_FLAGS_REPLACE, &o);
	close(fd);
	if (ret)
		return report("xdp: detach", ret, NULL);
	if (!quiet)
		printf("%s: sipguard XDP detached\n", dev);
	return EXIT_OK;
}

static int xdp_detach(const char *dev)
{
	int ifindex = dev_index(dev);

	return ifindex ? xdp_detach_dev(ifindex, dev, false) : EXIT_FAIL;
}

int xdp_attached(struct xdp_list *x)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	char why[256];
	int ret = 0;

	x->n = 0;
	if (!ifs)
		return -errno;
	for (i = ifs; i->if_index && !ret; i++) {
		struct xdp_state s;

		if (xdp_state((int)i->if_index, &s) || !s.prog_id)
			continue;
		if (s.unknown) {
			/* Never a file that silently leaves out an xdp line. */
			fprintf(stderr, "sipguardctl: %s: cannot tell whether its XDP program (id %u) is"
				" sipguard's (needs CAP_SYS_ADMIN)\n", i->if_name, s.prog_id);
			ret = -EPERM;
			break;
		}
		if (!s.ours)
			continue;
		if (xdp_list_add(x, i->if_name, mode_name(s.flags), 0, why, sizeof(why)))
			ret = -EINVAL;
	}
	if_freenameindex(ifs);
	return ret;
}

int xdp_apply(const struct xdp_list *x, const char *path)
{
	struct if_nameindex *ifs;
	int ret = EXIT_OK;

	/* The file's devices, each in its mode (re-attached if another). */
	for (unsigned int i = 0; i < x->n; i++) {
		const struct xdp_dev *d = &x->v[i];
		unsigned int ifindex = if_nametoindex(d->dev);
		struct xdp_state s;
		int r;

		if (!ifindex) {
			if (errno == ENODEV)
				fprintf(stderr, "sipguardctl: %s:%u: xdp: no device '%s' in this namespace\n",
					path, d->line, d->dev);
			else
				fprintf(stderr, "sipguardctl: %s:%u: xdp: looking up device '%s': %s\n",
					path, d->line, d->dev, strerror(errno));
			ret = EXIT_FAIL;
			continue;
		}
		if (d->mode != XDP_MODE_ANY && !xdp_state((int)ifindex, &s) && s.prog_id &&
		    s.ours && !(s.flags & mode_flags(d->mode)) &&
		    xdp_detach_dev((int)ifindex, d->dev, true)) {
			ret = EXIT_FAIL;
			continue;
		}
		r = xdp_attach_dev((int)ifindex, d->dev, d->mode, true);
		if (r) {
			fprintf(stderr, "sipguardctl: %s:%u: xdp %s: not attached\n", path, d->line,
				d->dev);
			ret = r;
		}
	}
	/* sipguard's program on any other device goes; another program stays. */
	ifs = if_nameindex();
	if (!ifs)
		return report("xdp: list devices", -errno, NULL);
	for (struct if_nameindex *i = ifs; i->if_index; i++) {
		struct xdp_state s;
		bool listed = false;

		for (unsigned int j = 0; j < x->n && !listed; j++)
			listed = !strcmp(x->v[j].dev, i->if_name);
		if (listed || xdp_state((int)i->if_index, &s) || !s.prog_id || !s.ours)
			continue;
		if (xdp_detach_dev((int)i->if_index, i->if_name, true))
			ret = EXIT_FAIL;
	}
	if_freenameindex(ifs);
	return ret;
}

/* Every device of this namespace with an XDP program: ours or another. */
static int xdp_show(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;

	if (!ifs)
		return report("xdp: list devices", -errno, NULL);
	print_open();
	print_arr_open("xdp");
	for (i = ifs; i->if_index; i++) {
		struct xdp_state s;

		if (xdp_state((int)i->if_index, &s) || !s.prog_id)
			continue;
		print_obj_open(NULL);
		print_str("dev", i->if_name);
		print_str("mode", mode_name(s.flags));
		print_u64("prog_id", s.prog_id);
		print_str("prog", s.name);
		print_bool("sipguard", s.ours);
		print_obj_close();
	}
	print_arr_close();
	print_close();
	if_freenameindex(ifs);
	return EXIT_OK;
}

int cmd_xdp(struct sg_nl *nl, int argc, char **argv)
{
	(void)nl;
	if (argc < 2)
		return usage_error(NULL, "xdp: attach, detach or show");
	if (!strcmp(argv[1], "attach") && (argc == 3 || argc == 4))
		return xdp_attach(argv[2], argc == 4 ? argv[3] : NULL);
	if (!strcmp(argv[1], "detach") && argc == 3)
		return xdp_detach(argv[2]);
	if (!strcmp(argv[1], "show") && argc == 2)
		return xdp_show();
	return usage_error(NULL, "xdp: bad arguments");
}
