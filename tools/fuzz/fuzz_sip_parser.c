// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness for kmod/sip_parser.c.  libFuzzer hands over exactly
 * @size bytes in their own heap block, so ASan catches any read past the
 * window.  Beyond "no crash", the result must be coherent: every reported
 * range inside the window, states and status consistent with each other.
 * A violation traps, and libFuzzer saves the input as a crash.
 */
#include <stdint.h>
#include <stddef.h>

#include "sip_parser.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static void check_field(const struct sip_field *f, u32 len)
{
	CHECK((u32)f->off + f->len <= len);
}

static void check_uri(const struct sip_uri *u, u32 len)
{
	check_field(&u->scheme, len);
	check_field(&u->user, len);
	check_field(&u->host, len);
	CHECK(u->scheme_id <= SIP_SCHEME_OTHER);
	/* a URI without a scheme has nothing else */
	CHECK(u->scheme.len || (!u->user.len && !u->host.len && !u->port));
}

static void check_bad_is_empty(u8 state, const struct sip_field *f)
{
	CHECK(state <= SIP_F_BAD);
	CHECK(state == SIP_F_FOUND || !f->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u32 len = size > SIP_MAX_WINDOW ? SIP_MAX_WINDOW : (u32)size;
	struct sip_msg m;
	enum sip_status st;

	st = sip_parse(data, (u32)size, &m);
	CHECK(st == SIP_OK || st == SIP_TRUNCATED || st == SIP_MALFORMED);
	CHECK((st == SIP_MALFORMED) == (m.error != SIP_E_NONE));
	CHECK(m.error < __SIP_E_MAX && sip_error_str(m.error));
	CHECK(m.error_off <= len);
	CHECK(m.start_off <= len);
	CHECK(st != SIP_OK || (m.hdr_end > m.start_off && m.hdr_end <= len));
	CHECK(m.hdr_end == 0 || m.hdr_end <= len);
	CHECK(m.method < __SIP_METHOD_MAX && sip_method_name(m.method));

	check_field(&m.method_tok, len);
	check_field(&m.reason, len);
	check_field(&m.ruri, len);
	check_uri(&m.uri, len);
	CHECK(m.is_request || (!m.method_tok.len && !m.ruri.len));
	CHECK(!m.status_code || (m.status_code >= 100 && m.status_code <= 699));

	check_uri(&m.from.uri, len);
	check_field(&m.from.tag, len);
	check_bad_is_empty(m.from.state, &m.from.uri.host);
	check_uri(&m.to.uri, len);
	check_field(&m.to.tag, len);
	check_bad_is_empty(m.to.state, &m.to.uri.host);
	check_field(&m.via.transport, len);
	check_field(&m.via.host, len);
	check_field(&m.via.branch, len);
	check_bad_is_empty(m.via.state, &m.via.host);
	CHECK(m.via.state != SIP_F_FOUND || (m.via.transport.len &&
					     m.via.host.len));
	check_field(&m.cseq.method_tok, len);
	check_bad_is_empty(m.cseq.state, &m.cseq.method_tok);
	check_field(&m.call_id, len);
	check_bad_is_empty(m.call_id_state, &m.call_id);
	CHECK(m.call_id_state != SIP_F_FOUND || m.call_id.len);
	check_field(&m.user_agent, len);
	check_bad_is_empty(m.user_agent_state, &m.user_agent);
	CHECK(m.content_length_state <= SIP_F_BAD);
	CHECK(m.content_length_state == SIP_F_FOUND || !m.content_length);
	CHECK(m.contact_state != SIP_F_ABSENT || !m.contact_count);

	/* the guard's signature match runs on whatever the parser found */
	if (m.user_agent_state == SIP_F_FOUND)
		(void)sip_field_contains_ci(data, &m.user_agent, "scanner", 7);

	/* learning walks every Contact value of a message that parsed */
	if (st == SIP_OK) {
		struct sip_contact_iter it = {};
		struct sip_contact c;
		u32 n = 0, prev = 0;

		while (sip_contact_next(data, &m, &it, &c)) {
			CHECK(++n <= m.contact_count);
			CHECK(it.p > prev && it.p <= m.hdr_end && it.ve <= m.hdr_end);
			prev = it.p;
			check_uri(&c.uri, len);
		}
		CHECK(n == m.contact_count);
	}

	/* a second message after this one, as a TCP stream would hold it */
	if (st == SIP_OK && (u64)m.hdr_end + m.content_length < size) {
		u32 next = m.hdr_end + m.content_length;

		(void)sip_parse(data + next, (u32)(size - next), &m);
	}
	return 0;
}
