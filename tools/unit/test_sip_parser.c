// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for kmod/sip_parser.c.
 *
 * 1. Every message of the RFC 4475 and RFC 5118 torture corpora against a
 *    written expectation, field by field (strings compared as literals).
 * 2. Every prefix of every corpus message, each in a heap block of exactly
 *    that size (ASan or valgrind flags any read past it), must agree with
 *    the full parse: a prefix can only know less, never something else.
 * 3. Every corpus message parsed from read-only memory that ends at an
 *    unmapped page: no write, no over-read, even without sanitizers.
 * 4. Hand-written cases for each feature, and what SIPVicious sends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sip_parser.h"
#include "tap.h"
#include "sip_vicious.h"

/* Case tables list the fields that matter; the rest are zero by C rules. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#ifndef SG_CORPUS_DIR
#define SG_CORPUS_DIR "../../selftests/corpus"
#endif

/* ---------------------------------------------------------------- helpers */

static const char *cur;		/* name of the case being checked */

static int check_field(const u8 *buf, const struct sip_field *f,
		       const char *what, const char *want)
{
	int ok = want ? sip_field_eq(buf, f, want, strlen(want)) : !f->len;

	if (!tap_ok(ok, "%s: %s", cur, what))
		tap_diag("got \"%.*s\" (%u@%u), want %s%s%s", f->len,
			 buf + f->off, f->len, f->off, want ? "\"" : "",
			 want ? want : "absent", want ? "\"" : "");
	return ok;
}

static int check_uint(const char *what, unsigned long got,
		      unsigned long want)
{
	if (!tap_ok(got == want, "%s: %s", cur, what))
		tap_diag("got %lu, want %lu", got, want);
	return got == want;
}

static const char *st_name(unsigned int st)
{
	static const char *const n[] = { "ABSENT", "FOUND", "BAD" };

	return st < 3 ? n[st] : "?";
}

static int check_state(const char *what, unsigned int got, unsigned int want)
{
	if (!tap_ok(got == want, "%s: %s state %s", cur, what, st_name(want)))
		tap_diag("got %s", st_name(got));
	return got == want;
}

static const char *status_name(enum sip_status s)
{
	return s == SIP_OK ? "OK" : s == SIP_TRUNCATED ? "TRUNCATED" :
	       s == SIP_MALFORMED ? "MALFORMED" : "?";
}

static int check_status(enum sip_status got, enum sip_status want,
			const struct sip_msg *m)
{
	if (!tap_ok(got == want, "%s: status %s", cur, status_name(want)))
		tap_diag("got %s (%s at %u)", status_name(got),
			 sip_error_str(m->error), m->error_off);
	return got == want;
}

static int check_error(const struct sip_msg *m, enum sip_error want)
{
	if (!tap_ok(m->error == want, "%s: error \"%s\"", cur,
		    sip_error_str(want)))
		tap_diag("got \"%s\" at %u", sip_error_str(m->error),
			 m->error_off);
	return m->error == want;
}

static enum sip_status parse_str(const char *s, struct sip_msg *m)
{
	return sip_parse((const u8 *)s, strlen(s), m);
}

/* ------------------------------------------------------ corpus expectations */

#define ST_FOUND	SIP_F_FOUND
#define ST_BAD		SIP_F_BAD

struct x_uri {
	const char *scheme, *user, *host;
	unsigned int port;
};

struct x_addr {
	unsigned int st;
	struct x_uri uri;
	const char *tag;
};

struct x_via {
	unsigned int st;
	const char *transport, *host;
	unsigned int port;
	const char *branch;
};

struct x_msg {
	const char *file;
	const char *why;		/* RFC section and what it probes */
	enum sip_status status;
	enum sip_error error;
	const char *error_at;		/* text that starts at m->error_off */
	const char *method;		/* raw token; NULL for a response */
	enum sip_method method_id;
	unsigned int code;
	const char *reason;
	struct x_uri ruri;		/* scheme NULL: no Request-URI */
	struct x_addr from, to;
	struct x_via via;
	unsigned int cseq_st;
	unsigned long cseq;
	const char *cseq_method;
	unsigned int cid_st;
	const char *call_id;
	unsigned int cl_st;
	unsigned long cl;
	unsigned int contact_st;
	unsigned int contacts;
	const char *ua;
	bool no_hdr_end;		/* parse stops before the headers end */
};

#define SIPURI(u, h, p)		{ "sip", u, h, p }
#define ADDR(u, h, t)		{ ST_FOUND, SIPURI(u, h, 0), t }
#define VIA(tr, h, p, br)	{ ST_FOUND, tr, h, p, br }
#define BADADDR			{ ST_BAD, { NULL, NULL, NULL, 0 }, NULL }
#define CSEQ(n, meth)		.cseq_st = ST_FOUND, .cseq = n, \
				.cseq_method = meth
#define CALLID(s)		.cid_st = ST_FOUND, .call_id = s
#define CLEN(n)			.cl_st = ST_FOUND, .cl = n
#define CONTACTS(n)		.contact_st = ST_FOUND, .contacts = n
#define REQ(tok, id)		.method = tok, .method_id = id
#define OK			.status = SIP_OK
#define BADMSG(e, at)		.status = SIP_MALFORMED, .error = e, \
				.error_at = at

#define R5(s)	s s s s s
#define R10(s)	R5(s) R5(s)

static const struct x_msg corpus[] = {
/* ---- RFC 4475 3.1.1: valid messages, must parse exactly ---- */
{ "rfc4475/wsinv.dat", "3.1.1.1 short tortuous INVITE: LWS, folds, case",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("vivekg", "chair-dnrc.example.com", 0),
  .to = ADDR("vivekg", "chair-dnrc.example.com", "1918181833n"),
  .from = ADDR("jdrosen", "example.com", "98asjd8"),
  CALLID("wsinv.ndaksdj@192.0.2.1"), CLEN(150), CSEQ(9, "INVITE"),
  .via = VIA("UDP", "192.0.2.2", 0, "390skdjuw"), CONTACTS(1) },
{ "rfc4475/intmeth.dat", "3.1.1.2 wide range of valid characters",
  OK, REQ("!interesting-Method0123456789_*+`.%indeed'~", SIP_METHOD_UNKNOWN),
  .ruri = SIPURI("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
		 "example.com", 0),
  .via = VIA("TCP", "host1.example.com", 0, "z9hG4bK-.!%66*_+`'~"),
  .to = ADDR("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
	     "example.com", NULL),
  .from = ADDR("mundane", "example.com", "_token~1'+`*%!-."),
  CALLID("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"),
  CSEQ(139122385, "!interesting-Method0123456789_*+`.%indeed'~"),
  CLEN(0) },
{ "rfc4475/esc01.dat", "3.1.1.3 valid use of % escapes (kept raw)",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("sips%3Auser%40example.com", "example.net", 0),
  .to = ADDR("%75se%72", "example.com", NULL),
  .from = ADDR("I%20have%20spaces", "example.net", "938"),
  CALLID("esc01.239409asdfakjkn23onasd0-3234"), CSEQ(234234, "INVITE"),
  .via = VIA("UDP", "host5.example.net", 0, "z9hG4bKkdjuw"),
  CONTACTS(1), CLEN(150) },
{ "rfc4475/escnull.dat", "3.1.1.4 escaped NULs in URIs",
  OK, REQ("REGISTER", SIP_METHOD_REGISTER),
  .ruri = SIPURI(NULL, "example.com", 0),
  .to = ADDR("null-%00-null", "example.com", NULL),
  .from = ADDR("null-%00-null", "example.com", "839923423"),
  CALLID("escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd"),
  CSEQ(14398234, "REGISTER"),
  .via = VIA("UDP", "host5.example.com", 0, "z9hG4bKkdjuw"),
  CONTACTS(2), CLEN(0) },
{ "rfc4475/esc02.dat", "3.1.1.5 % that is no escape: unknown method "
  "RE%47IST%45R, C%6Fntact is an unknown header",
  OK, REQ("RE%47IST%45R", SIP_METHOD_UNKNOWN),
  .ruri = SIPURI(NULL, "registrar.example.com", 0),
  .to = ADDR("resource", "example.com", NULL),
  .from = ADDR("resource", "example.com", "f232jadfj23"),
  CALLID("esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf"),
  .via = VIA("TCP", "host.example.com", 0, "z9hG4bK209%fzsnel234"),
  CSEQ(29344, "RE%47IST%45R"), CONTACTS(2), CLEN(0) },
{ "rfc4475/lwsdisp.dat", "3.1.1.6 no LWS between display name and <",
  OK, REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("caller", "example.com", "323"),
  CALLID("lwsdisp.1234abcd@funky.example.com"), CSEQ(60, "OPTIONS"),
  .via = VIA("UDP", "funky.example.com", 0, "z9hG4bKkdjuw"), CLEN(0) },
{ "rfc4475/longreq.dat", "3.1.1.7 long values, 34 Via headers in all "
  "spellings: the topmost one counts",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("user", "example.com", 0),
  .to = { ST_FOUND, SIPURI("user", "example.com", 6000), NULL },
  .from = ADDR(R5("amazinglylongcallername"), "example.net",
	       "12" R10(R5("982")) "424"),
  CALLID("longreq.one" R10("really") R10("really") "longcallid"),
  CSEQ(3882340, "INVITE"),
  .via = VIA("TCP", "sip33.example.com", 0, NULL), CONTACTS(1), CLEN(150) },
{ "rfc4475/dblreq.dat", "3.1.1.8 extra trailing octets in a UDP datagram: "
  "Content-Length 0 ends the REGISTER",
  OK, REQ("REGISTER", SIP_METHOD_REGISTER),
  .ruri = SIPURI(NULL, "example.com", 0),
  .to = ADDR("j.user", "example.com", NULL),
  .from = ADDR("j.user", "example.com", "43251j3j324"),
  CALLID("dblreq.0ha0isndaksdj99sdfafnl3lk233412"), CONTACTS(1),
  CSEQ(8, "REGISTER"),
  .via = VIA("UDP", "192.0.2.125", 0, "z9hG4bKkdjuw23492"), CLEN(0) },
{ "rfc4475/semiuri.dat", "3.1.1.9 semicolons in the user part",
  OK, REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = SIPURI("user;par=u%40example.net", "example.com", 0),
  .to = ADDR("j_user", "example.com", NULL),
  .from = ADDR("caller", "example.org", "33242"),
  CALLID("semiuri.0ha0isndaksdj"), CSEQ(8, "OPTIONS"),
  .via = VIA("UDP", "192.0.2.1", 0, "z9hG4bKkdjuw"), CLEN(0) },
{ "rfc4475/transports.dat", "3.1.1.10 varied and unknown transports",
  OK, REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("caller", "example.com", "323"),
  CALLID("transports.kijh4akdnaqjkwendsasfdj"), CSEQ(60, "OPTIONS"),
  .via = VIA("UDP", "t1.example.com", 0, "z9hG4bKkdjuw"), CLEN(0) },
{ "rfc4475/mpart01.dat", "3.1.1.11 multipart body, binary part",
  OK, REQ("MESSAGE", SIP_METHOD_MESSAGE),
  .ruri = SIPURI("kumiko", "example.org", 0),
  .via = VIA("UDP", "127.0.0.1", 5070,
	     "z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-"),
  CONTACTS(1), .to = ADDR("kumiko", "example.org", NULL),
  .from = ADDR("fluffy", "example.com", "2fb0dcc9"),
  CALLID("3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA.."),
  CSEQ(1, "MESSAGE"), .ua = "SIPimp.org/0.2.5 (curses)", CLEN(553) },
{ "rfc4475/unreason.dat", "3.1.1.12 UTF-8 reason phrase",
  OK, .code = 200,
  .reason = "= 2**3 * 5**2 \xd0\xbd\xd0\xbe \xd1\x81\xd1\x82\xd0\xbe "
	    "\xd0\xb4\xd0\xb5\xd0\xb2\xd1\x8f\xd0\xbd\xd0\xbe\xd1\x81\xd1\x82"
	    "\xd0\xbe \xd0\xb4\xd0\xb5\xd0\xb2\xd1\x8f\xd1\x82\xd1\x8c - "
	    "\xd0\xbf\xd1\x80\xd0\xbe\xd1\x81\xd1\x82\xd0\xbe\xd0\xb5",
  .via = VIA("UDP", "192.0.2.198", 0, "z9hG4bK1324923"),
  CALLID("unreason.1234ksdfak3j2erwedfsASdf"), CSEQ(35, "INVITE"),
  .from = ADDR("user", "example.com", "11141343"),
  .to = ADDR("user", "example.edu", "2229"), CLEN(154), CONTACTS(1) },
{ "rfc4475/noreason.dat", "3.1.1.13 empty reason phrase",
  OK, .code = 100, .reason = NULL,
  .via = VIA("UDP", "192.0.2.105", 0, "z9hG4bK2398ndaoe"),
  CALLID("noreason.asndj203insdf99223ndf"), CSEQ(35, "INVITE"),
  .from = ADDR("user", "example.com", "39ansfi3"),
  .to = ADDR("user", "example.edu", "902jndnke3"), CLEN(0), CONTACTS(1) },

/* ---- RFC 4475 3.1.2: invalid messages; what we return and why ---- */
{ "rfc4475/badinv01.dat", "3.1.2.1 Via \"192.0.2.15;;,;,,\": empty "
  "via-params; Contact \";;;;\" likewise",
  BADMSG(SIP_E_VIA, "Via: SIP/2.0/UDP 192.0.2.15;;"),
  REQ("INVITE", SIP_METHOD_INVITE), .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("j.user", "example.com", NULL),
  .from = ADDR("caller", "example.net", "134161461246"),
  CALLID("badinv01.0ha0isndaksdjasdf3234nas"), CSEQ(8, "INVITE"),
  .via = { ST_BAD }, .contact_st = ST_BAD, CLEN(152) },
{ "rfc4475/clerr.dat", "3.1.2.2 Content-Length 9999 > bytes left: the "
  "headers are fine, the guard compares hdr_end + 9999 with the datagram",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("j.user", "example.com", NULL),
  .from = ADDR("caller", "example.net", "93942939o2"), CONTACTS(1),
  CALLID("clerr.0ha0isndaksdjweiafasdk3"), CSEQ(8, "INVITE"),
  .via = VIA("UDP", "host5.example.com", 0, "z9hG4bK-39234-23523"),
  CLEN(9999) },
{ "rfc4475/ncl.dat", "3.1.2.3 Content-Length -999 is not 1*DIGIT",
  BADMSG(SIP_E_CONTENT_LENGTH, "Content-Length: -999"),
  REQ("INVITE", SIP_METHOD_INVITE), .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("j.user", "example.com", NULL),
  .from = ADDR("caller", "example.net", "32394234"),
  CALLID("ncl.0ha0isndaksdj2193423r542w35"), CSEQ(0, "INVITE"),
  .via = VIA("UDP", "192.0.2.53", 0, "z9hG4bKkdjuw"), CONTACTS(1),
  .cl_st = ST_BAD },
{ "rfc4475/scalar02.dat", "3.1.2.4 CSeq 36893488147419103232 > 2^32-1 "
  "(Max-Forwards 300 and Expires 10^100 are not read)",
  BADMSG(SIP_E_CSEQ, "CSeq: 36893488147419103232"),
  REQ("REGISTER", SIP_METHOD_REGISTER), .ruri = SIPURI(NULL, "example.com", 0),
  .via = VIA("TCP", "host129.example.com", 0, "z9hG4bK342sdfoi3"),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("user", "example.com", "239232jh3"), .cseq_st = ST_BAD,
  CALLID("scalar02.23o0pd9vanlq3wnrlnewofjas9ui32"), CONTACTS(1), CLEN(0) },
{ "rfc4475/scalarlg.dat", "3.1.2.5 response CSeq 9292394834772304023312 "
  "> 2^32-1",
  BADMSG(SIP_E_CSEQ, "CSeq: 9292394834772304023312"),
  .code = 503, .reason = "Service Unavailable",
  .via = VIA("TCP", "host129.example.com", 0, "z9hG4bKzzxdiwo34sw"),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("other", "example.net", "2easdjfejw"), .cseq_st = ST_BAD,
  CALLID("scalarlg.noase0of0234hn2qofoaf0232aewf2394r"), CLEN(0) },
{ "rfc4475/quotbal.dat", "3.1.2.6 To display name quote never closes",
  BADMSG(SIP_E_TO, "To: \"Mr. J. User"),
  REQ("INVITE", SIP_METHOD_INVITE), .ruri = SIPURI("user", "example.com", 0),
  .to = BADADDR, .from = ADDR("caller", "example.net", "93334"),
  CALLID("quotbal.aksdj"), CONTACTS(1), CSEQ(8, "INVITE"),
  .via = VIA("UDP", "192.0.2.59", 5050, "z9hG4bKkdjuw39234"), CLEN(152) },
{ "rfc4475/ltgtruri.dat", "3.1.2.7 <> around the Request-URI: a URI "
  "starts with a scheme letter",
  BADMSG(SIP_E_URI, "<sip:user@example.com> SIP/2.0"),
  REQ("INVITE", SIP_METHOD_INVITE), .no_hdr_end = true },
{ "rfc4475/lwsruri.dat", "3.1.2.8 LWS in the Request-URI: the URI ends at "
  "the SP after an empty uri-parameter \";\"",
  BADMSG(SIP_E_URI, "sip:user@example.com; lr"),
  REQ("INVITE", SIP_METHOD_INVITE), .no_hdr_end = true },
{ "rfc4475/lwsstart.dat", "3.1.2.9 two SPs between request-line elements",
  BADMSG(SIP_E_START_LINE, " sip:user@example.com  SIP/2.0"),
  REQ("INVITE", SIP_METHOD_INVITE), .no_hdr_end = true },
{ "rfc4475/trws.dat", "3.1.2.10 SPs after SIP/2.0 on the request line",
  BADMSG(SIP_E_VERSION, "SIP/2.0  \r\n"),
  REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = SIPURI("remote-target", "example.com", 0), .no_hdr_end = true },
{ "rfc4475/escruri.dat", "3.1.2.11 ?headers in the Request-URI, "
  "forbidden by RFC 3261 19.1.1",
  BADMSG(SIP_E_URI_HEADERS, "sip:user@example.com?Route="),
  REQ("INVITE", SIP_METHOD_INVITE), .no_hdr_end = true },
{ "rfc4475/baddate.dat", "3.1.2.12 Date in EST: Date is not a header the "
  "guard reads, so the message is OK to us",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("caller", "example.net", "2234923"),
  CALLID("baddate.239423mnsadf3j23lj42--sedfnm234"), CSEQ(1392934, "INVITE"),
  .via = VIA("UDP", "host.example.com", 0, "z9hG4bKkdjuw"), CONTACTS(1),
  CLEN(150) },
{ "rfc4475/regbadct.dat", "3.1.2.13 Contact addr-spec with ?headers and "
  "no <>: '?' may not end an unbracketed URI",
  BADMSG(SIP_E_CONTACT, "Contact: sip:user@example.com?Route"),
  REQ("REGISTER", SIP_METHOD_REGISTER), .ruri = SIPURI(NULL, "example.com", 0),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("user", "example.com", "998332"),
  CALLID("regbadct.k345asrl3fdbv@10.0.0.1"), CSEQ(1, "REGISTER"),
  .via = VIA("UDP", "135.180.130.133", 5060, "z9hG4bKkdjuw"),
  .contact_st = ST_BAD, CLEN(0) },
{ "rfc4475/badaspec.dat", "3.1.2.14 SP inside <> of the To URI",
  BADMSG(SIP_E_TO, "To: \"Watson, Thomas\" < sip:"),
  REQ("OPTIONS", SIP_METHOD_OPTIONS), .ruri = SIPURI("user", "example.org", 0),
  .via = VIA("UDP", "host4.example.com", 5060, "z9hG4bKkdju43234"),
  .from = ADDR("a.g.bell", "example.com", "433423"), .to = BADADDR,
  CALLID("badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3"),
  CSEQ(3923239, "OPTIONS"), CLEN(0) },
{ "rfc4475/baddn.dat", "3.1.2.15 unquoted display names with a comma "
  "(From first, To too)",
  BADMSG(SIP_E_FROM, "From:    Bell, Alexander"),
  REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = SIPURI("t.watson", "example.org", 0),
  .via = VIA("UDP", "c.example.com", 5060, "z9hG4bKkdjuw"),
  .from = BADADDR, .to = BADADDR, CALLID("baddn.31415@c.example.com"),
  CSEQ(3923239, "OPTIONS"), CLEN(0) },
{ "rfc4475/badvers.dat", "3.1.2.16 SIP/7.0",
  BADMSG(SIP_E_VERSION, "SIP/7.0\r\n"), REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = SIPURI("t.watson", "example.org", 0), .no_hdr_end = true },
{ "rfc4475/mismatch01.dat", "3.1.2.17 OPTIONS request, CSeq says INVITE",
  BADMSG(SIP_E_CSEQ_METHOD, "INVITE\r\nVia"),
  REQ("OPTIONS", SIP_METHOD_OPTIONS), .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("j.user", "example.com", NULL),
  .from = ADDR("caller", "example.net", "34525"),
  CALLID("mismatch01.dj0234sxdfl3"), CSEQ(8, "INVITE"),
  .via = VIA("UDP", "host.example.com", 0, "z9hG4bKkdjuw"), CLEN(0) },
{ "rfc4475/mismatch02.dat", "3.1.2.18 unknown method, CSeq says INVITE",
  BADMSG(SIP_E_CSEQ_METHOD, "INVITE\r\nContact"),
  REQ("NEWMETHOD", SIP_METHOD_UNKNOWN),
  .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("j.user", "example.com", NULL),
  .from = ADDR("caller", "example.net", "34525"),
  CALLID("mismatch02.dj0234sxdfl3"), CSEQ(8, "INVITE"), CONTACTS(1),
  .via = VIA("UDP", "host.example.net", 0, "z9hG4bKkdjuw"), CLEN(138) },
{ "rfc4475/bigcode.dat", "3.1.2.19 status code 4294967301: three digits "
  "only",
  BADMSG(SIP_E_STATUS_CODE, "4294967301"), .no_hdr_end = true },

/* ---- RFC 4475 3.2-3.4: transaction and application layer ---- */
{ "rfc4475/badbranch.dat", "3.2.1 branch is the bare magic cookie: "
  "syntax is fine, the guard sees branch \"z9hG4bK\"",
  OK, REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("caller", "example.org", "33242"),
  .via = VIA("UDP", "192.0.2.1", 0, "z9hG4bK"),
  CALLID("badbranch.sadonfo23i420jv0as0derf3j3n"), CSEQ(8, "OPTIONS"),
  CLEN(0) },
{ "rfc4475/insuf.dat", "3.3.1 no From, To, Call-ID, Max-Forwards: "
  "reported absent (sip_has_mandatory() is false)",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("user", "example.com", 0), CSEQ(193942, "INVITE"),
  .via = VIA("UDP", "192.0.2.95", 0, "z9hG4bKkdj.insuf"), CLEN(152) },
{ "rfc4475/unkscm.dat", "3.3.2 unknown Request-URI scheme",
  OK, REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = { "nobodyKnowsThisScheme", NULL, NULL, 0 },
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("caller", "example.net", "384"),
  CALLID("unkscm.nasdfasser0q239nwsdfasdkl34"), CSEQ(3923423, "OPTIONS"),
  .via = VIA("TCP", "host9.example.com", 0, "z9hG4bKkdjuw39234"), CLEN(0) },
{ "rfc4475/novelsc.dat", "3.3.3 known but atypical scheme",
  OK, REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = { "soap.beep", NULL, NULL, 0 },
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("caller", "example.net", "384"),
  CALLID("novelsc.asdfasser0q239nwsdfasdkl34"), CSEQ(3923423, "OPTIONS"),
  .via = VIA("TCP", "host9.example.com", 0, "z9hG4bKkdjuw39234"), CLEN(0) },
{ "rfc4475/unksm2.dat", "3.3.4 unknown schemes in To, From, Contact",
  OK, REQ("REGISTER", SIP_METHOD_REGISTER),
  .ruri = SIPURI(NULL, "example.com", 0),
  .to = { ST_FOUND, { "isbn", NULL, NULL, 0 }, NULL },
  .from = { ST_FOUND, { "http", NULL, NULL, 0 }, "3234233" },
  CALLID("unksm2.daksdj@hyphenated-host.example.com"),
  CSEQ(234902, "REGISTER"),
  .via = VIA("UDP", "192.0.2.21", 5060, "z9hG4bKkdjuw"), CONTACTS(1),
  CLEN(0) },
{ "rfc4475/bext01.dat", "3.3.5 Require/Proxy-Require extensions",
  OK, REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("j_user", "example.com", NULL),
  .from = ADDR("caller", "example.net", "242etr"),
  CALLID("bext01.0ha0isndaksdj"), CSEQ(8, "OPTIONS"),
  .via = VIA("TLS", "fold-and-staple.example.com", 0, "z9hG4bKkdjuw"),
  CLEN(0) },
{ "rfc4475/invut.dat", "3.3.6 unknown Content-Type",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("user", "example.com", 0), CONTACTS(1),
  .to = ADDR("j.user", "example.com", NULL),
  .from = ADDR("caller", "example.net", "8392034"),
  CALLID("invut.0ha0isndaksdjadsfij34n23d"), CSEQ(235448, "INVITE"),
  .via = VIA("UDP", "somehost.example.com", 0, "z9hG4bKkdjuw"), CLEN(40) },
{ "rfc4475/regaut01.dat", "3.3.7 unknown Authorization scheme",
  OK, REQ("REGISTER", SIP_METHOD_REGISTER),
  .ruri = SIPURI(NULL, "example.com", 0),
  .to = ADDR("j.user", "example.com", NULL),
  .from = ADDR("j.user", "example.com", "87321hj23128"),
  CALLID("regaut01.0ha0isndaksdj"), CSEQ(9338, "REGISTER"),
  .via = VIA("TCP", "192.0.2.253", 0, "z9hG4bKkdjuw"), CLEN(0) },
{ "rfc4475/multi01.dat", "3.3.8 CSeq, Call-ID, To, From twice: each is "
  "BAD, the first repeat (CSeq) is the error",
  BADMSG(SIP_E_DUPLICATE, "CSeq: 59 INVITE"),
  REQ("INVITE", SIP_METHOD_INVITE), .ruri = SIPURI("user", "company.com", 0),
  .via = VIA("UDP", "192.0.2.25", 0, "z9hG4bKkdjuw"), .cseq_st = ST_BAD,
  .cid_st = ST_BAD, .from = BADADDR, .to = BADADDR, CLEN(154),
  CONTACTS(2) },
{ "rfc4475/mcl01.dat", "3.3.9 two Content-Length values: framing is "
  "ambiguous",
  BADMSG(SIP_E_DUPLICATE, "Content-Length: 5"),
  REQ("OPTIONS", SIP_METHOD_OPTIONS), .ruri = SIPURI("user", "example.com", 0),
  .via = VIA("UDP", "host5.example.net", 0, "z9hG4bK293423"),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("other", "example.net", "3923942"),
  CALLID("mcl01.fhn2323orihawfdoa3o4r52o3irsdf"), CSEQ(15932, "OPTIONS"),
  .cl_st = ST_BAD },
{ "rfc4475/bcast.dat", "3.3.10 200 OK with a broadcast second Via",
  OK, .code = 200, .reason = "OK",
  .via = VIA("UDP", "192.0.2.198", 0, "z9hG4bK1324923"),
  CALLID("bcast.0384840201234ksdfak3j2erwedfsASdf"), CSEQ(35, "INVITE"),
  .from = ADDR("user", "example.com", "11141343"),
  .to = ADDR("user", "example.edu", "2229"), CLEN(154), CONTACTS(1) },
{ "rfc4475/zeromf.dat", "3.3.11 Max-Forwards 0 (not read)",
  OK, REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("caller", "example.net", "3ghsd41"),
  CALLID("zeromf.jfasdlfnm2o2l43r5u0asdfas"), CSEQ(39234321, "OPTIONS"),
  .via = VIA("UDP", "host1.example.com", 0, "z9hG4bKkdjuw2349i"), CLEN(0) },
{ "rfc4475/cparam01.dat", "3.3.12 Contact header parameter",
  OK, REQ("REGISTER", SIP_METHOD_REGISTER),
  .ruri = SIPURI(NULL, "example.com", 0),
  .via = VIA("UDP", "saturn.example.com", 5060, "z9hG4bKkdjuw"),
  .from = ADDR("watson", "example.com", "DkfVgjkrtMwaerKKpe"),
  .to = ADDR("watson", "example.com", NULL),
  CALLID("cparam01.70710@saturn.example.com"), CSEQ(2, "REGISTER"),
  CONTACTS(1), CLEN(0) },
{ "rfc4475/cparam02.dat", "3.3.13 Contact URI parameter",
  OK, REQ("REGISTER", SIP_METHOD_REGISTER),
  .ruri = SIPURI(NULL, "example.com", 0),
  .via = VIA("UDP", "saturn.example.com", 5060, "z9hG4bKkdjuw"),
  .from = ADDR("watson", "example.com", "838293"),
  .to = ADDR("watson", "example.com", NULL),
  CALLID("cparam02.70710@saturn.example.com"), CSEQ(3, "REGISTER"),
  CONTACTS(1), CLEN(0) },
{ "rfc4475/regescrt.dat", "3.3.14 escaped ?headers inside Contact <>",
  OK, REQ("REGISTER", SIP_METHOD_REGISTER),
  .ruri = SIPURI(NULL, "example.com", 0),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("user", "example.com", "8"),
  CALLID("regescrt.k345asrl3fdbv@192.0.2.1"), CSEQ(14398234, "REGISTER"),
  .via = VIA("UDP", "host5.example.com", 0, "z9hG4bKkdjuw"), CONTACTS(1),
  CLEN(0) },
{ "rfc4475/sdp01.dat", "3.3.15 unacceptable Accept",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("j_user", "example.com", NULL), CONTACTS(1),
  .from = ADDR("caller", "example.net", "234"),
  CALLID("sdp01.ndaksdj9342dasdd"), CSEQ(8, "INVITE"),
  .via = VIA("UDP", "192.0.2.15", 0, "z9hG4bKkdjuw"), CLEN(150) },
{ "rfc4475/inv2543.dat", "3.4.1 RFC 2543 INVITE: no branch, no tag; "
  ";user=phone after an addr-spec is a header parameter",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("UserB", "example.com", 0),
  .via = VIA("UDP", "iftgw.example.com", 0, NULL),
  .from = ADDR("+13035551111", "ift.client.example.net", NULL),
  .to = ADDR("+16505552222", "ss1.example.net", NULL),
  CALLID("inv2543.1717@ift.client.example.com"), CSEQ(56, "INVITE") },

/* ---- RFC 5118: IPv6 ---- */
{ "rfc5118/ipv6-good", "4.1 IPv6 reference in the Request-URI",
  OK, REQ("REGISTER", SIP_METHOD_REGISTER),
  .ruri = SIPURI(NULL, "[2001:db8::10]", 0),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("user", "example.com", "81x2"),
  .via = VIA("UDP", "[2001:db8::9:1]", 0, "z9hG4bKas3-111"),
  CALLID("SSG9559905523997077@hlau_4100"), CONTACTS(1),
  CSEQ(98176, "REGISTER"), CLEN(0) },
{ "rfc5118/ipv6-bad", "4.2 IPv6 address without brackets: host \"2001\" "
  "with port \"db8::10\"",
  BADMSG(SIP_E_URI, "sip:2001:db8::10"),
  REQ("REGISTER", SIP_METHOD_REGISTER), .no_hdr_end = true },
{ "rfc5118/port-ambiguous", "4.3 [2001:db8::10:5070] is an address, "
  "no port",
  OK, REQ("REGISTER", SIP_METHOD_REGISTER),
  .ruri = SIPURI(NULL, "[2001:db8::10:5070]", 0),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("user", "example.com", "81x2"),
  .via = VIA("UDP", "[2001:db8::9:1]", 0, "z9hG4bKas3-111"),
  CALLID("SSG9559905523997077@hlau_4100"), CONTACTS(1),
  CSEQ(98176, "REGISTER"), CLEN(0) },
{ "rfc5118/port-unambiguous", "4.3 [2001:db8::10]:5070",
  OK, REQ("REGISTER", SIP_METHOD_REGISTER),
  .ruri = SIPURI(NULL, "[2001:db8::10]", 5070),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("user", "example.com", "81x2"),
  .via = VIA("UDP", "[2001:db8::9:1]", 0, "z9hG4bKas3-111"),
  CALLID("SSG9559905523997077@hlau_4100"), CONTACTS(1),
  CSEQ(98176, "REGISTER"), CLEN(0) },
{ "rfc5118/via-received-param-with-delim", "4.4 received=[v6] in Via",
  OK, REQ("BYE", SIP_METHOD_BYE),
  .ruri = SIPURI(NULL, "[2001:db8::10]", 0),
  .to = ADDR("user", "example.com", "bd76ya"),
  .from = ADDR("user", "example.com", "81x2"),
  .via = VIA("UDP", "[2001:db8::9:1]", 0, "z9hG4bKas3-111"),
  CALLID("SSG9559905523997077@hlau_4100"), CSEQ(321, "BYE"), CLEN(0) },
{ "rfc5118/via-received-param-no-delim", "4.5 received=v6 in Via",
  OK, REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = SIPURI(NULL, "[2001:db8::10]", 0),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("user", "example.com", "81x2"),
  .via = VIA("UDP", "[2001:db8::9:1]", 0, "z9hG4bKas3"),
  CALLID("SSG95523997077@hlau_4100"), CONTACTS(1), CSEQ(921, "OPTIONS"),
  CLEN(0) },
{ "rfc5118/ipv6-in-sdp", "4.6 IPv6 in SDP (body not read)",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("user", "[2001:db8::10]", 0),
  .to = ADDR("user", "[2001:db8::10]", NULL),
  .from = ADDR("user", "example.com", "81x2"),
  .via = VIA("UDP", "[2001:db8::20]", 0, "z9hG4bKas3-111"),
  CALLID("SSG9559905523997077@hlau_4100"), CONTACTS(1),
  CSEQ(8612, "INVITE"), CLEN(241) },
{ "rfc5118/mult-ip-in-header", "4.7 mixed v4/v6 Vias: topmost counts",
  OK, REQ("BYE", SIP_METHOD_BYE),
  .ruri = SIPURI("user", "host.example.net", 0),
  .via = VIA("UDP", "[2001:db8::9:1]", 6050, "z9hG4bKas3-111"),
  CALLID("997077@lau_4100"), CSEQ(89187, "BYE"),
  .to = ADDR("user", "example.net", "9817--94"),
  .from = ADDR("user", "example.com", "81x2"), CLEN(0) },
{ "rfc5118/mult-ip-in-sdp", "4.8 v4 and v6 in SDP (body not read)",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("user", "[2001:db8::10]", 0),
  .to = ADDR("user", "[2001:db8::10]", NULL),
  .from = ADDR("user", "example.com", "81x2"),
  .via = VIA("UDP", "[2001:db8::9:1]", 0, "z9hG4bKas3-111"),
  CALLID("SSG9559905523997077@hlau_4100"), CONTACTS(1),
  CSEQ(8912, "INVITE"), CLEN(181) },
{ "rfc5118/ipv4-mapped-ipv6", "4.9 IPv4-mapped IPv6 in Via and Contact",
  OK, REQ("INVITE", SIP_METHOD_INVITE),
  .ruri = SIPURI("user", "example.com", 0),
  .to = ADDR("user", "example.com", NULL),
  .from = ADDR("user", "east.example.com", "81x2"),
  .via = VIA("UDP", "[::ffff:192.0.2.10]", 19823, "z9hG4bKbh19"),
  CALLID("SSG9559905523997077@hlau_4100"), CONTACTS(1),
  CSEQ(612, "INVITE"), CLEN(236) },
{ "rfc5118/ipv6-correct-abnf-2-colons", "4.10 \"::\" before an IPv4 tail",
  OK, REQ("OPTIONS", SIP_METHOD_OPTIONS),
  .ruri = SIPURI("user", "[2001:db8::192.0.2.1]", 0),
  .to = ADDR("user", "[2001:db8::192.0.2.1]", NULL),
  .from = ADDR("user", "example.com", "810x2"),
  .via = VIA("UDP", "lab1.east.example.com", 0, "z9hG4bKas3-111"),
  CALLID("G9559905523997077@hlau_4100"), CSEQ(689, "OPTIONS"), CLEN(0) },
{ "rfc5118/ipv6-bug-abnf-3-colons", "4.10 \":::\" is the RFC 3261 ABNF "
  "bug, fixed by RFC 5954: not an IPv6 address (inet_pton agrees)",
  BADMSG(SIP_E_URI, "sip:user@[2001:db8:::192.0.2.1]"),
  REQ("OPTIONS", SIP_METHOD_OPTIONS), .no_hdr_end = true },
};

static u8 *read_file(const char *rel, size_t *lenp)
{
	char path[512];
	FILE *f;
	long n;
	u8 *buf;

	snprintf(path, sizeof(path), "%s/%s", SG_CORPUS_DIR, rel);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	/* exactly n bytes: ASan catches a read of buf[n] */
	buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*lenp = n;
	return buf;
}

static void check_uri(const u8 *buf, const struct sip_uri *u,
		      const struct x_uri *x, const char *pfx)
{
	char what[64];

	snprintf(what, sizeof(what), "%s scheme", pfx);
	check_field(buf, &u->scheme, what, x->scheme);
	snprintf(what, sizeof(what), "%s user", pfx);
	check_field(buf, &u->user, what, x->user);
	snprintf(what, sizeof(what), "%s host", pfx);
	check_field(buf, &u->host, what, x->host);
	snprintf(what, sizeof(what), "%s port", pfx);
	check_uint(what, u->port, x->port);
}

static void check_addr(const u8 *buf, const struct sip_addr *a,
		       const struct x_addr *x, const char *pfx)
{
	static const struct x_uri none;
	char what[64];

	check_state(pfx, a->state, x->st);
	/* a BAD or ABSENT header has every sub-field zeroed */
	check_uri(buf, &a->uri, x->st == ST_FOUND ? &x->uri : &none, pfx);
	snprintf(what, sizeof(what), "%s tag", pfx);
	check_field(buf, &a->tag, what, x->st == ST_FOUND ? x->tag : NULL);
}

/* Where the header section ends, found independently of the parser. */
static u32 blank_line_end(const u8 *buf, size_t len)
{
	const u8 *p = memmem(buf, len, "\r\n\r\n", 4);

	return p ? (u32)(p - buf) + 4 : 0;
}

static void test_corpus_message(const struct x_msg *x)
{
	struct sip_msg m;
	enum sip_status st;
	size_t len;
	u8 *buf;

	cur = x->file;
	buf = read_file(x->file, &len);
	if (!tap_ok(buf != NULL, "%s: read", cur)) {
		tap_diag("%s/%s: %s", SG_CORPUS_DIR, x->file, strerror(errno));
		return;
	}
	tap_diag("%s: RFC %s %s", cur,
		 !strncmp(cur, "rfc5118", 7) ? "5118" : "4475", x->why);
	st = sip_parse(buf, len, &m);
	check_status(st, x->status, &m);
	check_error(&m, x->error);
	if (x->error_at) {
		size_t n = strlen(x->error_at);

		if (!tap_ok(m.error_off + n <= len &&
			    !memcmp(buf + m.error_off, x->error_at, n),
			    "%s: error at \"%.20s\"", cur, x->error_at))
			tap_diag("got offset %u: \"%.20s\"", m.error_off,
				 buf + m.error_off);
	} else {
		check_uint("error offset", m.error_off, 0);
	}

	/* start line */
	check_uint("is_request", m.is_request, x->method != NULL);
	check_field(buf, &m.method_tok, "method token", x->method);
	check_uint("method id", m.method, x->method ? x->method_id : 0);
	check_uint("status code", m.status_code, x->code);
	check_field(buf, &m.reason, "reason", x->reason);
	check_uri(buf, &m.uri, &x->ruri, "Request-URI");

	/* headers */
	check_addr(buf, &m.from, &x->from, "From");
	check_addr(buf, &m.to, &x->to, "To");
	check_state("Via", m.via.state, x->via.st);
	check_field(buf, &m.via.transport, "Via transport", x->via.transport);
	check_field(buf, &m.via.host, "Via host", x->via.host);
	check_uint("Via port", m.via.port, x->via.port);
	check_field(buf, &m.via.branch, "Via branch", x->via.branch);
	check_state("CSeq", m.cseq.state, x->cseq_st);
	check_uint("CSeq number", m.cseq.num, x->cseq);
	check_field(buf, &m.cseq.method_tok, "CSeq method", x->cseq_method);
	check_state("Call-ID", m.call_id_state, x->cid_st);
	check_field(buf, &m.call_id, "Call-ID", x->call_id);
	check_state("Content-Length", m.content_length_state, x->cl_st);
	check_uint("Content-Length", m.content_length, x->cl);
	check_state("Contact", m.contact_state, x->contact_st);
	check_uint("Contact count", m.contact_count, x->contacts);
	check_state("User-Agent", m.user_agent_state,
		    x->ua ? ST_FOUND : SIP_F_ABSENT);
	check_field(buf, &m.user_agent, "User-Agent", x->ua);
	check_uint("hdr_end", m.hdr_end,
		   x->no_hdr_end ? 0 : blank_line_end(buf, len));
	check_uint("has mandatory", sip_has_mandatory(&m),
		   x->from.st == ST_FOUND && x->to.st == ST_FOUND &&
		   x->cid_st == ST_FOUND && x->cseq_st == ST_FOUND &&
		   x->via.st == ST_FOUND);
	free(buf);
}

/* -------------------------------------------------- prefix (truncation) */

static bool addr_eq(const struct sip_addr *a, const struct sip_addr *b)
{
	return !memcmp(&a->uri.scheme, &b->uri.scheme, sizeof(a->uri.scheme)) &&
	       !memcmp(&a->uri.user, &b->uri.user, sizeof(a->uri.user)) &&
	       !memcmp(&a->uri.host, &b->uri.host, sizeof(a->uri.host)) &&
	       a->uri.port == b->uri.port &&
	       a->uri.scheme_id == b->uri.scheme_id &&
	       !memcmp(&a->tag, &b->tag, sizeof(a->tag)) && a->state == b->state;
}

static bool fld_eq(struct sip_field a, struct sip_field b)
{
	return a.off == b.off && a.len == b.len;
}

/*
 * What a prefix may report, given the full parse: each header either not
 * yet seen, or seen exactly as in the full message (unless the full message
 * marks it BAD, which a later repeat can do).
 */
static const char *prefix_consistent(const struct sip_msg *p,
				     enum sip_status pst,
				     const struct sip_msg *f)
{
	if (pst == SIP_OK)
		return "prefix without the blank line parsed OK";
	if (pst == SIP_MALFORMED &&
	    (p->error != f->error || p->error_off != f->error_off))
		return "prefix has an error the full message has not";
	if (pst == SIP_TRUNCATED && p->error)
		return "TRUNCATED with an error set";
	if (p->hdr_end)
		return "hdr_end set in a prefix";
#define SAME_OR_ABSENT(st_p, st_f, eq) \
	((st_p) == SIP_F_ABSENT || (st_f) == SIP_F_BAD || \
	 ((st_p) == (st_f) && (eq)))
	if (!SAME_OR_ABSENT(p->from.state, f->from.state,
			    addr_eq(&p->from, &f->from)))
		return "From";
	if (!SAME_OR_ABSENT(p->to.state, f->to.state, addr_eq(&p->to, &f->to)))
		return "To";
	if (!SAME_OR_ABSENT(p->via.state, f->via.state,
			    fld_eq(p->via.host, f->via.host) &&
			    fld_eq(p->via.branch, f->via.branch) &&
			    fld_eq(p->via.transport, f->via.transport) &&
			    p->via.port == f->via.port))
		return "Via";
	if (!SAME_OR_ABSENT(p->cseq.state, f->cseq.state,
			    p->cseq.num == f->cseq.num &&
			    fld_eq(p->cseq.method_tok, f->cseq.method_tok)))
		return "CSeq";
	if (!SAME_OR_ABSENT(p->call_id_state, f->call_id_state,
			    fld_eq(p->call_id, f->call_id)))
		return "Call-ID";
	if (!SAME_OR_ABSENT(p->content_length_state, f->content_length_state,
			    p->content_length == f->content_length))
		return "Content-Length";
	if (!SAME_OR_ABSENT(p->user_agent_state, f->user_agent_state,
			    fld_eq(p->user_agent, f->user_agent)))
		return "User-Agent";
	if (p->contact_count > f->contact_count)
		return "Contact count";
#undef SAME_OR_ABSENT
	if (p->is_request != f->is_request && p->start_off == f->start_off &&
	    pst != SIP_TRUNCATED)
		return "start line";
	return NULL;
}

static void test_corpus_prefixes(const char *file)
{
	struct sip_msg full, m;
	enum sip_status fst, st;
	const char *bad = NULL;
	size_t len, n, full_end;
	u8 *buf, *cp;

	cur = file;
	buf = read_file(file, &len);
	if (!buf) {
		tap_ok(0, "%s: read", file);
		return;
	}
	fst = sip_parse(buf, len, &full);
	/* where the full parse stopped reading: hdr_end or the start line */
	full_end = full.hdr_end ? full.hdr_end : len;
	for (n = 0; n <= len && !bad; n++) {
		cp = malloc(n ? n : 1);
		memcpy(cp, buf, n);
		st = sip_parse(cp, n, &m);
		if (n >= full_end || (fst == SIP_MALFORMED && !full.hdr_end &&
				      st == SIP_MALFORMED)) {
			if (st != fst || memcmp(&m, &full, sizeof(m)))
				bad = "prefix past the end differs";
		} else {
			bad = prefix_consistent(&m, st, &full);
		}
		free(cp);
	}
	if (!tap_ok(!bad, "%s: all %zu prefixes consistent", file, len + 1))
		tap_diag("prefix of %zu bytes: %s", n - 1, bad);
	free(buf);
}

/* Read-only copy that ends where an unmapped page starts. */
static void test_corpus_readonly(const char *file)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct sip_msg a, b;
	size_t len, span;
	u8 *buf, *map, *at;

	cur = file;
	buf = read_file(file, &len);
	if (!buf) {
		tap_ok(0, "%s: read", file);
		return;
	}
	span = (len + pg - 1) / pg * pg;
	map = mmap(NULL, span + pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		tap_ok(0, "%s: mmap", file);
		free(buf);
		return;
	}
	at = map + span - len;
	memcpy(at, buf, len);
	mprotect(map, span, PROT_READ);
	mprotect(map + span, pg, PROT_NONE);
	sip_parse(buf, len, &a);
	sip_parse(at, len, &b);
	tap_ok(!memcmp(&a, &b, sizeof(a)),
	       "%s: parses from read-only memory ending at a guard page", file);
	munmap(map, span + pg);
	free(buf);
}

/* ----------------------------------------------------- hand-written cases */

#define H_OPT	"OPTIONS sip:100@192.0.2.1 SIP/2.0\r\n"
#define H_VIA	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-1\r\n"
#define H_REST	"From: <sip:a@b>;tag=1\r\nTo: <sip:100@192.0.2.1>\r\n" \
		"Call-ID: c1\r\nCSeq: 1 OPTIONS\r\n"

static void test_methods(void)
{
	static const char *const names[] = {
		"INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "INFO",
		"PRACK", "SUBSCRIBE", "NOTIFY", "UPDATE", "MESSAGE", "REFER",
		"PUBLISH",
	};
	char msg[128];
	struct sip_msg m;
	unsigned int i;

	cur = "methods";
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(msg, sizeof(msg), "%s sip:x@y SIP/2.0\r\n\r\n",
			 names[i]);
		parse_str(msg, &m);
		tap_ok(m.method == i + 1 &&
		       !strcmp(sip_method_name(m.method), names[i]) &&
		       sip_field_eq((u8 *)msg, &m.method_tok, names[i],
				    strlen(names[i])),
		       "methods: %s is id %u", names[i], i + 1);
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char low[16];
		size_t j, n = strlen(names[i]);

		for (j = 0; j <= n; j++)
			low[j] = (char)tolower((unsigned char)names[i][j]);
		/* every other letter upper case: "iNvItE" */
		for (j = 1; j < n; j += 2)
			low[j] = (char)toupper((unsigned char)low[j]);
		tap_ok(sip_method_id((const u8 *)low, n) == i + 1,
		       "methods: \"%s\" is %s (any case, as pjsip and sofia-sip read it)",
		       low, names[i]);
	}
	/* "invite"/"sip/2.0" from issue 16, with a CSeq that matches it */
	snprintf(msg, sizeof(msg), "invite sip:100@x sip/2.0\r\n"
		 "cseq: 1 invite\r\nTO: <sip:100@x>\r\n\r\n");
	tap_ok(parse_str(msg, &m) == SIP_OK && m.method == SIP_METHOD_INVITE &&
	       m.cseq.method == SIP_METHOD_INVITE && m.to.state == SIP_F_FOUND,
	       "methods: a lower-case INVITE request parses as an INVITE");
	snprintf(msg, sizeof(msg), "INVITE sip:100@x SIP/2.0\r\n"
		 "CSeq: 1 invite\r\n\r\n");
	tap_ok(parse_str(msg, &m) == SIP_MALFORMED && m.error == SIP_E_CSEQ_METHOD,
	       "methods: CSeq must repeat the request's token byte for byte");
	tap_ok(sip_method_id((const u8 *)"INVITEX", 7) == SIP_METHOD_UNKNOWN &&
	       sip_method_id((const u8 *)"INVIT", 5) == SIP_METHOD_UNKNOWN,
	       "methods: no prefix matches (UNKNOWN: the policy refuses it like INVITE)");
	snprintf(msg, sizeof(msg), "\r\n\r\nInViTe sip:100@x SIP/2.0\r\n\r\n");
	tap_ok(parse_str(msg, &m) == SIP_OK && m.method == SIP_METHOD_INVITE &&
	       m.start_off == 4,
	       "methods: leading CRLFs skipped before a mixed-case INVITE");
	tap_ok(!strcmp(sip_method_name(SIP_METHOD_UNKNOWN), "UNKNOWN") &&
	       !strcmp(sip_method_name(__SIP_METHOD_MAX), "UNKNOWN") &&
	       !strcmp(sip_method_name((enum sip_method)-1), "UNKNOWN"),
	       "methods: names of unknown and out-of-range ids");
}

struct line_case {
	const char *msg;
	enum sip_status st;
	enum sip_error err;
	unsigned int err_off;
};

/* The case as C would spell it, minus the common H_OPT start line. */
static const char *escaped(const char *s)
{
	static char out[256];
	size_t o = 0;

	if (!strncmp(s, H_OPT, sizeof(H_OPT) - 1))
		s += sizeof(H_OPT) - 1;
	for (; *s && o < sizeof(out) - 5; s++) {
		if (*s == '\r' || *s == '\n' || *s == '\t')
			o += sprintf(out + o, "\\%c", *s == '\r' ? 'r' :
				     *s == '\n' ? 'n' : 't');
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			o += sprintf(out + o, "\\x%02x", (unsigned char)*s);
		else
			out[o++] = *s;
	}
	out[o] = 0;
	return out;
}

static void run_line_cases(const char *what, const struct line_case *c,
			   unsigned int n)
{
	struct sip_msg m;
	enum sip_status st;
	unsigned int i;

	for (i = 0; i < n; i++) {
		st = parse_str(c[i].msg, &m);
		if (!tap_ok(st == c[i].st && m.error == c[i].err &&
			    m.error_off == c[i].err_off, "%s: \"%s\" -> %s %s",
			    what, escaped(c[i].msg), status_name(c[i].st),
			    c[i].err ? sip_error_str(c[i].err) : ""))
			tap_diag("got %s \"%s\" at %u", status_name(st),
				 sip_error_str(m.error), m.error_off);
	}
}

static void test_start_lines(void)
{
	static const struct line_case c[] = {
		{ "SIP/2.0 200 OK\r\n\r\n", SIP_OK, 0, 0 },
		{ "sip/2.0 180 Ringing\r\n\r\n", SIP_OK, 0, 0 },
		{ "SIP/2.0 699 x\r\n\r\n", SIP_OK, 0, 0 },
		{ "SIP/2.0 099 x\r\n\r\n", SIP_MALFORMED, SIP_E_STATUS_CODE, 8 },
		{ "SIP/2.0 700 x\r\n\r\n", SIP_MALFORMED, SIP_E_STATUS_CODE, 8 },
		{ "SIP/2.0 20 OK\r\n\r\n", SIP_MALFORMED, SIP_E_STATUS_CODE, 8 },
		{ "SIP/2.0 200\r\n\r\n", SIP_MALFORMED, SIP_E_STATUS_CODE, 8 },
		{ "SIP/2.0 200 O\x01K\r\n\r\n", SIP_MALFORMED, SIP_E_REASON, 13 },
		{ "SIP/2.0 200 tab\tok\r\n\r\n", SIP_OK, 0, 0 },
		{ "SIP/2.0  200 OK\r\n\r\n", SIP_MALFORMED, SIP_E_STATUS_CODE, 8 },
		{ "SIP/2.0\t200 OK\r\n\r\n", SIP_MALFORMED, SIP_E_START_LINE, 7 },
		{ "SIP/2.1 200 OK\r\n\r\n", SIP_MALFORMED, SIP_E_VERSION, 0 },
		{ "SIP/2.00 200 OK\r\n\r\n", SIP_MALFORMED, SIP_E_VERSION, 0 },
		{ "SIP/2.0\r\n\r\n", SIP_MALFORMED, SIP_E_START_LINE, 7 },
		{ "OPTIONS sip:a@b SIP/2.0\r\n\r\n", SIP_OK, 0, 0 },
		{ "OPTIONS sip:a@b sip/2.0\r\n\r\n", SIP_OK, 0, 0 },
		{ "OPTIONS sip:a@b SIP/2.0 \r\n\r\n", SIP_MALFORMED,
		  SIP_E_VERSION, 16 },
		{ "OPTIONS sip:a@b\r\n\r\n", SIP_MALFORMED, SIP_E_URI, 8 },
		{ "OPTIONS\r\n\r\n", SIP_MALFORMED, SIP_E_START_LINE, 7 },
		{ "OPTIONS\tsip:a@b SIP/2.0\r\n\r\n", SIP_MALFORMED,
		  SIP_E_START_LINE, 7 },
		{ " OPTIONS sip:a@b SIP/2.0\r\n\r\n", SIP_MALFORMED,
		  SIP_E_METHOD, 0 },
		{ "OPT<IONS sip:a@b SIP/2.0\r\n\r\n", SIP_MALFORMED,
		  SIP_E_METHOD, 3 },
		{ "OPTIONS sip:a@b SIP/2.0\rX\r\n\r\n", SIP_MALFORMED,
		  SIP_E_BARE_CR, 23 },
		{ "\x80 sip:a@b SIP/2.0\r\n\r\n", SIP_MALFORMED, SIP_E_METHOD, 0 },
		{ "\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\n\r\n", SIP_OK, 0, 0 },
		{ "\r\n\r\n", SIP_TRUNCATED, 0, 0 },
		{ "", SIP_TRUNCATED, 0, 0 },
		{ "OPTIONS sip:a@b SIP/2.0", SIP_TRUNCATED, 0, 0 },
		{ "OPTIONS sip:a@b SIP/2.0\r\n", SIP_TRUNCATED, 0, 0 },
		{ "OPTIONS sip:a@b SIP/2.0\r\n\r", SIP_TRUNCATED, 0, 0 },
	};
	struct sip_msg m;

	cur = "start line";
	run_line_cases("start line", c, sizeof(c) / sizeof(c[0]));

	parse_str("\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\n\r\n", &m);
	check_uint("leading CRLFs skipped: start_off", m.start_off, 4);
	check_uint("leading CRLFs skipped: hdr_end", m.hdr_end, 31);
	parse_str("\r\n\r\n", &m);
	check_uint("keepalive CRLFCRLF: start_off", m.start_off, 4);
	parse_str("SIP/2.0 486 Busy Here\r\n\r\n", &m);
	check_uint("status code", m.status_code, 486);
	check_field((const u8 *)"SIP/2.0 486 Busy Here", &m.reason, "reason",
		    "Busy Here");
	check_uint("response is not a request", m.is_request, 0);
}

struct uri_case {
	const char *uri;
	enum sip_error err;	/* SIP_E_NONE: parses */
	const char *scheme, *user, *host;
	unsigned int port;
};

static void test_request_uris(void)
{
	static const struct uri_case c[] = {
		{ "sip:100@192.0.2.1", 0, "sip", "100", "192.0.2.1", 0 },
		{ "SIP:100@EXAMPLE.com:5062", 0, "SIP", "100", "EXAMPLE.com",
		  5062 },
		{ "sips:alice@example.com", 0, "sips", "alice", "example.com", 0 },
		{ "sip:alice:secret@example.com;transport=tcp", 0, "sip",
		  "alice", "example.com", 0 },
		{ "sip:example.com:65535", 0, "sip", NULL, "example.com", 65535 },
		{ "sip:[2001:db8::1]:5060;lr", 0, "sip", NULL, "[2001:db8::1]",
		  5060 },
		{ "sip:u@[::]", 0, "sip", "u", "[::]", 0 },
		{ "sip:u@[1:2:3:4:5:6:7:8]", 0, "sip", "u", "[1:2:3:4:5:6:7:8]",
		  0 },
		{ "sip:u@[1:2:3:4:5:6:192.0.2.1]", 0, "sip", "u",
		  "[1:2:3:4:5:6:192.0.2.1]", 0 },
		{ "sip:u@[1::]", 0, "sip", "u", "[1::]", 0 },
		{ "sip:%41lice@h?x=y", SIP_E_URI_HEADERS },
		{ "tel:+1-201-555-0123;phone-context=example.com", 0, "tel",
		  "+1-201-555-0123", NULL, 0 },
		{ "urn:service:sos", 0, "urn", NULL, NULL, 0 },
		{ "sip:@example.com", SIP_E_URI },
		{ "sip:a%4@example.com", SIP_E_URI },
		{ "sip:a%zz@example.com", SIP_E_URI },
		{ "sip:a@", SIP_E_URI },
		{ "sip:a@-example.com", SIP_E_URI },
		{ "sip:a@example.com:", SIP_E_URI },
		{ "sip:a@example.com:65536", SIP_E_URI },
		{ "sip:a@example.com:99999999999", SIP_E_URI },
		{ "sip:a@example.com;", SIP_E_URI },
		{ "sip:a@example.com;=x", SIP_E_URI },
		{ "sip:a@example.com;x=", SIP_E_URI },
		{ "sip:a@[2001:db8::1", SIP_E_URI },
		{ "sip:a@[2001:db8::1::2]", SIP_E_URI },
		{ "sip:a@[1:2:3:4:5:6:7:8:9]", SIP_E_URI },
		{ "sip:a@[1:2:3:4:5:6:7]", SIP_E_URI },
		{ "sip:a@[12345::1]", SIP_E_URI },
		{ "sip:a@[::1.2.3.256]", SIP_E_URI },
		{ "sip:a@[::1.2.3]", SIP_E_URI },
		{ "sip:a@[:1::2]", SIP_E_URI },
		{ "sip:a@[1::2:]", SIP_E_URI },
		{ "sip:a@[]", SIP_E_URI },
		{ "sip:a:b:c@example.com", SIP_E_URI },
		{ "1sip:a@b", SIP_E_URI },
		{ "sip", SIP_E_URI },
		{ "tel:", SIP_E_URI },
		{ "x:", SIP_E_URI },
		{ "x:a<b", SIP_E_URI },
	};
	char msg[256];
	struct sip_msg m;
	enum sip_status st;
	unsigned int i;
	int ok;

	cur = "Request-URI";
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const u8 *b = (const u8 *)msg;

		snprintf(msg, sizeof(msg), "INVITE %s SIP/2.0\r\n\r\n",
			 c[i].uri);
		st = parse_str(msg, &m);
		if (c[i].err) {
			ok = st == SIP_MALFORMED && m.error == c[i].err &&
			     m.error_off == 7 && !m.ruri.len && !m.uri.host.len;
		} else {
			struct sip_field want = {};

			ok = st == SIP_OK && m.ruri.off == 7 &&
			     m.ruri.len == strlen(c[i].uri);
			want.len = c[i].scheme ? strlen(c[i].scheme) : 0;
			ok = ok && m.uri.scheme.len == want.len &&
			     (!c[i].user ? !m.uri.user.len :
			      sip_field_eq(b, &m.uri.user, c[i].user,
					   strlen(c[i].user))) &&
			     (!c[i].host ? !m.uri.host.len :
			      sip_field_eq(b, &m.uri.host, c[i].host,
					   strlen(c[i].host))) &&
			     m.uri.port == c[i].port;
		}
		if (!tap_ok(ok, "Request-URI: %s -> %s", c[i].uri,
			    c[i].err ? sip_error_str(c[i].err) : "parses"))
			tap_diag("got %s \"%s\"; user \"%.*s\" host \"%.*s\" "
				 "port %u", status_name(st),
				 sip_error_str(m.error), m.uri.user.len,
				 b + m.uri.user.off, m.uri.host.len,
				 b + m.uri.host.off, m.uri.port);
	}
	parse_str("INVITE sips:a@b SIP/2.0\r\n\r\n", &m);
	check_uint("sips scheme id", m.uri.scheme_id, SIP_SCHEME_SIPS);
	parse_str("INVITE tel:+1 SIP/2.0\r\n\r\n", &m);
	check_uint("tel scheme id", m.uri.scheme_id, SIP_SCHEME_TEL);
	parse_str("INVITE Sip:a@b SIP/2.0\r\n\r\n", &m);
	check_uint("scheme is case-insensitive", m.uri.scheme_id,
		   SIP_SCHEME_SIP);
	parse_str("INVITE im:a@b SIP/2.0\r\n\r\n", &m);
	check_uint("other scheme id", m.uri.scheme_id, SIP_SCHEME_OTHER);
}

static void test_header_names(void)
{
	static const struct { const char *name; enum sip_hdr id; } c[] = {
		{ "v", SIP_HDR_VIA }, { "f", SIP_HDR_FROM }, { "t", SIP_HDR_TO },
		{ "i", SIP_HDR_CALL_ID }, { "m", SIP_HDR_CONTACT },
		{ "l", SIP_HDR_CONTENT_LENGTH }, { "c", SIP_HDR_CONTENT_TYPE },
		{ "k", SIP_HDR_SUPPORTED }, { "s", SIP_HDR_SUBJECT },
		{ "e", SIP_HDR_CONTENT_ENCODING }, { "o", SIP_HDR_EVENT },
		{ "u", SIP_HDR_ALLOW_EVENTS }, { "r", SIP_HDR_REFER_TO },
		{ "x", SIP_HDR_SESSION_EXPIRES }, { "b", SIP_HDR_REFERRED_BY },
		{ "a", SIP_HDR_ACCEPT_CONTACT }, { "j", SIP_HDR_REJECT_CONTACT },
		{ "d", SIP_HDR_REQUEST_DISPOSITION }, { "y", SIP_HDR_IDENTITY },
		{ "n", SIP_HDR_IDENTITY_INFO },
		{ "V", SIP_HDR_VIA }, { "L", SIP_HDR_CONTENT_LENGTH },
		{ "Via", SIP_HDR_VIA }, { "vIA", SIP_HDR_VIA },
		{ "From", SIP_HDR_FROM }, { "TO", SIP_HDR_TO },
		{ "call-ID", SIP_HDR_CALL_ID }, { "CSEQ", SIP_HDR_CSEQ },
		{ "Contact", SIP_HDR_CONTACT },
		{ "content-length", SIP_HDR_CONTENT_LENGTH },
		{ "Content-Type", SIP_HDR_CONTENT_TYPE },
		{ "User-Agent", SIP_HDR_USER_AGENT },
		{ "Max-Forwards", SIP_HDR_MAX_FORWARDS },
		{ "Supported", SIP_HDR_SUPPORTED }, { "Subject", SIP_HDR_SUBJECT },
		{ "Content-Encoding", SIP_HDR_CONTENT_ENCODING },
		{ "Event", SIP_HDR_EVENT }, { "Allow-Events", SIP_HDR_ALLOW_EVENTS },
		{ "Refer-To", SIP_HDR_REFER_TO },
		{ "Session-Expires", SIP_HDR_SESSION_EXPIRES },
		{ "Referred-By", SIP_HDR_REFERRED_BY },
		{ "Accept-Contact", SIP_HDR_ACCEPT_CONTACT },
		{ "Reject-Contact", SIP_HDR_REJECT_CONTACT },
		{ "Request-Disposition", SIP_HDR_REQUEST_DISPOSITION },
		{ "Identity", SIP_HDR_IDENTITY },
		{ "Identity-Info", SIP_HDR_IDENTITY_INFO },
		{ "Authorization", SIP_HDR_AUTHORIZATION },
		{ "Proxy-Authorization", SIP_HDR_PROXY_AUTHORIZATION },
		{ "g", SIP_HDR_OTHER }, { "Vias", SIP_HDR_OTHER },
		{ "Fro", SIP_HDR_OTHER }, { "Call_ID", SIP_HDR_OTHER },
		{ "Call\rID", SIP_HDR_OTHER }, { "C%6Fntact", SIP_HDR_OTHER },
		{ "", SIP_HDR_OTHER },
	};
	unsigned int i;

	cur = "header names";
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		enum sip_hdr id = sip_header_id((const u8 *)c[i].name,
						strlen(c[i].name));

		if (!tap_ok(id == c[i].id, "header name \"%s\" is id %u",
			    c[i].name, c[i].id))
			tap_diag("got %u", id);
	}
}

static void test_framing(void)
{
	static const struct line_case c[] = {
		/* whitespace before the colon (HCOLON) */
		{ H_OPT "Call-ID  \t: x\r\n\r\n", SIP_OK, 0, 0 },
		{ H_OPT ": x\r\n\r\n", SIP_MALFORMED, SIP_E_HEADER_NAME, 35 },
		{ H_OPT "Call ID: x\r\n\r\n", SIP_MALFORMED,
		  SIP_E_HEADER_NAME, 40 },
		{ H_OPT "Call-ID x\r\n\r\n", SIP_MALFORMED,
		  SIP_E_HEADER_NAME, 43 },
		{ H_OPT "Ca\x80ll: x\r\n\r\n", SIP_MALFORMED,
		  SIP_E_HEADER_NAME, 37 },
		{ H_OPT " folded: x\r\n\r\n", SIP_MALFORMED, SIP_E_FOLD, 35 },
		/* osip ends the line at the CR: Z would be a header to it */
		{ H_OPT "X: y\rZ: w\r\n\r\n", SIP_MALFORMED, SIP_E_BARE_CR, 39 },
		{ H_OPT "X: y\r\n\rZ\r\n", SIP_MALFORMED, SIP_E_BARE_CR, 41 },
		{ H_OPT "X: y\r\n\r", SIP_TRUNCATED, 0, 0 },
		{ H_OPT "X: y\r\n", SIP_TRUNCATED, 0, 0 },
		{ H_OPT "X: y", SIP_TRUNCATED, 0, 0 },
		{ H_OPT "X", SIP_TRUNCATED, 0, 0 },
		{ H_OPT "X  ", SIP_TRUNCATED, 0, 0 },
		{ H_OPT "X: y\r\n \r\n\r\n", SIP_OK, 0, 0 },
		/* a header error is kept when the window ends early */
		{ H_OPT "CSeq: x\r\nX: y\r\n", SIP_MALFORMED, SIP_E_CSEQ, 35 },
	};
	static const char lf[] =
		"INVITE sip:100@192.0.2.1 SIP/2.0\n"
		"v: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK-lf\n"
		"f: <sip:a@b>;tag=1\n"
		"t: <sip:100@192.0.2.1>\n"
		"i: lf-only\n"
		"CSeq: 7 INVITE\n"
		"l: 3\n"
		"\n"
		"abc";
	static const char folded[] =
		"INVITE sip:100@192.0.2.1 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP\r\n"
		"\t198.51.100.1\r\n"
		"  ;branch=z9hG4bK-fold\r\n"
		"From:\r\n <sip:a@b>\r\n ;tag=7\r\n"
		"To: <sip:100@192.0.2.1>\r\n"
		"Call-ID: \r\n folded-id\r\n"
		"CSeq: 7\r\n INVITE\r\n"
		"User-Agent: one\r\n two\r\n"
		"\r\n";
	static const char bare_cr_value[] =
		H_OPT H_VIA "From: <sip:a@b>\r;tag=1\r\n\r\n";
	struct sip_msg m;
	const u8 *b;

	cur = "framing";
	run_line_cases("framing", c, sizeof(c) / sizeof(c[0]));

	cur = "bare LF";
	b = (const u8 *)lf;
	check_status(parse_str(lf, &m), SIP_OK, &m);
	check_field(b, &m.via.branch, "Via branch", "z9hG4bK-lf");
	check_field(b, &m.call_id, "Call-ID", "lf-only");
	check_field(b, &m.cseq.method_tok, "CSeq method", "INVITE");
	check_uint("Content-Length", m.content_length, 3);
	check_uint("hdr_end", m.hdr_end, sizeof(lf) - 1 - 3);
	check_uint("header count", m.n_headers, 6);

	cur = "folded";
	b = (const u8 *)folded;
	check_status(parse_str(folded, &m), SIP_OK, &m);
	check_field(b, &m.via.host, "Via host", "198.51.100.1");
	check_field(b, &m.via.branch, "Via branch", "z9hG4bK-fold");
	check_field(b, &m.from.uri.user, "From user", "a");
	check_field(b, &m.from.tag, "From tag", "7");
	check_field(b, &m.call_id, "Call-ID", "folded-id");
	check_uint("CSeq", m.cseq.num, 7);
	check_field(b, &m.cseq.method_tok, "CSeq method", "INVITE");
	check_field(b, &m.user_agent, "User-Agent (raw, fold kept)",
		    "one\r\n two");

	cur = "bare CR in a value";
	check_status(parse_str(bare_cr_value, &m), SIP_MALFORMED, &m);
	check_error(&m, SIP_E_BARE_CR);
	/* found by the differential fuzzer: osip saw a User-Agent, we did not */
	cur = "bare CR hides a header";
	check_status(parse_str(H_OPT "Subject: x\rUser-Agent: friendly-scanner\r\n\r\n", &m),
		     SIP_MALFORMED, &m);
	check_error(&m, SIP_E_BARE_CR);
}

static void test_addr(void)
{
	static const struct {
		const char *val;
		bool ok;
		const char *user, *host, *tag;
	} c[] = {
		{ "<sip:a@b>", true, "a", "b", NULL },
		{ "sip:a@b;tag=x", true, "a", "b", "x" },
		{ "sip:a@b ; TAG = x ; foo", true, "a", "b", "x" },
		{ "\"A \\\"q\\\" B\" <sip:a@b>;tag=1", true, "a", "b", "1" },
		{ "\"\" <sip:a@b>", true, "a", "b", NULL },
		{ "Alice Smith <sip:a@b>;p=\"x;y\";tag=2", true, "a", "b", "2" },
		{ "<sip:a@b;tag=uriparam>", true, "a", "b", NULL },
		{ "sip:a@b;x=1@c;tag=1", false },
		{ "sip:a;x=1@b;tag=1", false },
		{ "tel:+1-555;tag=9", true, "+1-555", NULL, "9" },
		{ "isbn:123;tag=x", true, NULL, NULL, "x" },
		{ "<isbn:123;tag=x>", true, NULL, NULL, NULL },
		{ "<sip:a@b>;tag=1;tag=2", false },
		{ "<sip:a@b>;tag=", false },
		{ "<sip:a@b>;tag", false },
		{ "<sip:a@b>;tag=\"q\"", false },
		{ "<sip:a@b>, <sip:c@d>", false },
		{ "<sip:a@b", false },
		{ "<sip:a@b> x", false },
		{ "\"unterminated <sip:a@b>", false },
		{ "\"bad\\\x80\" <sip:a@b>", false },
		{ "Bell, Alexander <sip:a@b>", false },
		{ "sip:a@b?subject=x", false },
		{ "<sip:a@b?subject=x>", false },
		{ "", false },
		{ "   ", false },
		{ ";tag=1", false },
		{ "<>", false },
	};
	char msg[256];
	struct sip_msg m;
	unsigned int i;
	bool ok;

	cur = "From";
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const u8 *b = (const u8 *)msg;

		snprintf(msg, sizeof(msg), H_OPT "From: %s\r\n\r\n", c[i].val);
		parse_str(msg, &m);
		if (c[i].ok)
			ok = m.from.state == SIP_F_FOUND &&
			     (c[i].user ? sip_field_eq(b, &m.from.uri.user,
						       c[i].user,
						       strlen(c[i].user)) :
			      !m.from.uri.user.len) &&
			     (c[i].host ? sip_field_eq(b, &m.from.uri.host,
						       c[i].host,
						       strlen(c[i].host)) :
			      !m.from.uri.host.len) &&
			     (c[i].tag ? sip_field_eq(b, &m.from.tag, c[i].tag,
						      strlen(c[i].tag)) :
			      !m.from.tag.len) && !m.error;
		else
			ok = m.from.state == SIP_F_BAD &&
			     m.error == SIP_E_FROM && m.error_off == 35 &&
			     !m.from.uri.host.len && !m.from.tag.len;
		if (!tap_ok(ok, "From: %s -> %s", c[i].val,
			    c[i].ok ? "found" : "BAD"))
			tap_diag("got state %s, error \"%s\", tag \"%.*s\"",
				 st_name(m.from.state), sip_error_str(m.error),
				 m.from.tag.len, b + m.from.tag.off);
	}
}

static void test_via(void)
{
	static const struct {
		const char *val;
		bool ok;
		const char *transport, *host, *branch;
		unsigned int port;
		enum sip_transport tid;
	} c[] = {
		{ "SIP/2.0/UDP h", true, "UDP", "h", NULL, 0,
		  SIP_TRANSPORT_UDP },
		{ "SIP/2.0/TCP h:5060;branch=z9hG4bK1", true, "TCP", "h",
		  "z9hG4bK1", 5060, SIP_TRANSPORT_TCP },
		{ "sip/2.0/tls h ; rport ; BRANCH = z9hG4bKx ; received="
		  "192.0.2.1", true, "tls", "h", "z9hG4bKx", 0,
		  SIP_TRANSPORT_TLS },
		{ "SIP / 2.0 / SCTP h : 5061", true, "SCTP", "h", NULL, 5061,
		  SIP_TRANSPORT_SCTP },
		{ "SIP/2.0/WSS [2001:db8::1]:443;branch=z9hG4bKw", true, "WSS",
		  "[2001:db8::1]", "z9hG4bKw", 443, SIP_TRANSPORT_WSS },
		{ "SIP/2.0/WS h;branch=z9hG4bKa, SIP/2.0/UDP g;branch=z9hG4bKb",
		  true, "WS", "h", "z9hG4bKa", 0, SIP_TRANSPORT_WS },
		{ "SIP/2.0/FOO h", true, "FOO", "h", NULL, 0,
		  SIP_TRANSPORT_OTHER },
		{ "SIP/3.0/UDP h", false }, { "SIP/2.0/UDP", false },
		{ "SIP/2.0/UDPh", false }, { "SIP/2.0 UDP h", false },
		{ "SIP/2.0/UDP h;branch", false },
		{ "SIP/2.0/UDP h;branch=", false },
		{ "SIP/2.0/UDP h;branch=a;branch=b", false },
		{ "SIP/2.0/UDP h;branch=\"q\"", false },
		{ "SIP/2.0/UDP h:70000", false },
		{ "SIP/2.0/UDP h;;", false }, { "SIP/2.0/UDP h x", false },
		{ "HTTP/2.0/UDP h", false }, { "", false },
	};
	char msg[256];
	struct sip_msg m;
	unsigned int i;
	bool ok;

	cur = "Via";
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const u8 *b = (const u8 *)msg;

		snprintf(msg, sizeof(msg), H_OPT "Via: %s\r\n\r\n", c[i].val);
		parse_str(msg, &m);
		if (c[i].ok)
			ok = m.via.state == SIP_F_FOUND &&
			     sip_field_eq(b, &m.via.transport, c[i].transport,
					  strlen(c[i].transport)) &&
			     sip_field_eq(b, &m.via.host, c[i].host,
					  strlen(c[i].host)) &&
			     (c[i].branch ?
			      sip_field_eq(b, &m.via.branch, c[i].branch,
					   strlen(c[i].branch)) :
			      !m.via.branch.len) &&
			     m.via.port == c[i].port &&
			     m.via.transport_id == c[i].tid && !m.error;
		else
			ok = m.via.state == SIP_F_BAD && m.error == SIP_E_VIA &&
			     !m.via.host.len && !m.via.branch.len;
		if (!tap_ok(ok, "Via: %s -> %s", c[i].val,
			    c[i].ok ? "found" : "BAD"))
			tap_diag("got state %s, error \"%s\", host \"%.*s\" "
				 "port %u", st_name(m.via.state),
				 sip_error_str(m.error), m.via.host.len,
				 b + m.via.host.off, m.via.port);
	}

	cur = "Via repeated";
	parse_str(H_OPT "Via: SIP/2.0/UDP top;branch=z9hG4bK1\r\n"
		  "v: SIP/2.0/TCP second;branch=z9hG4bK2\r\n"
		  "Via: SIP/2.0/UDP third;;bad\r\n\r\n", &m);
	tap_ok(m.via.state == SIP_F_FOUND && !m.error &&
	       m.via.host.len == 3 && m.via.transport_id == SIP_TRANSPORT_UDP,
	       "Via repeated: the topmost header is kept, later ones unread");
}

struct num_case {
	const char *val;
	bool ok;
	unsigned long num;
	const char *meth;
};

static void test_cseq_cl(void)
{
	static const struct num_case cseq[] = {
		{ "1 OPTIONS", true, 1, "OPTIONS" },
		{ "  4294967295   OPTIONS  ", true, 4294967295UL, "OPTIONS" },
		{ "4294967296 OPTIONS", false }, { "1OPTIONS", false },
		{ "1", false }, { "OPTIONS", false }, { "1 OPTIONS x", false },
		{ "-1 OPTIONS", false }, { "1 OPT<IONS", false }, { "", false },
	};
	static const struct num_case cl[] = {
		{ "0", true, 0 }, { "  1500  ", true, 1500 },
		{ "4294967295", true, 4294967295UL },
		{ "4294967296", false }, { "", false }, { "1 2", false },
		{ "0x10", false }, { "+1", false },
	};
	char msg[256];
	struct sip_msg m;
	unsigned int i;
	bool ok;

	cur = "CSeq";
	for (i = 0; i < sizeof(cseq) / sizeof(cseq[0]); i++) {
		snprintf(msg, sizeof(msg), H_OPT "CSeq: %s\r\n\r\n",
			 cseq[i].val);
		parse_str(msg, &m);
		ok = cseq[i].ok ? m.cseq.state == SIP_F_FOUND &&
		     m.cseq.num == cseq[i].num &&
		     sip_field_eq((u8 *)msg, &m.cseq.method_tok, cseq[i].meth,
				  strlen(cseq[i].meth)) &&
		     m.cseq.method == SIP_METHOD_OPTIONS && !m.error :
		     m.cseq.state == SIP_F_BAD && m.error == SIP_E_CSEQ &&
		     !m.cseq.num && !m.cseq.method_tok.len;
		if (!tap_ok(ok, "CSeq: \"%s\" -> %s", cseq[i].val,
			    cseq[i].ok ? "found" : "BAD"))
			tap_diag("got %s %u, error \"%s\"",
				 st_name(m.cseq.state), m.cseq.num,
				 sip_error_str(m.error));
	}
	cur = "Content-Length";
	for (i = 0; i < sizeof(cl) / sizeof(cl[0]); i++) {
		snprintf(msg, sizeof(msg), H_OPT "l: %s\r\n\r\n", cl[i].val);
		parse_str(msg, &m);
		ok = cl[i].ok ? m.content_length_state == SIP_F_FOUND &&
		     m.content_length == cl[i].num && !m.error :
		     m.content_length_state == SIP_F_BAD &&
		     m.error == SIP_E_CONTENT_LENGTH && !m.content_length;
		if (!tap_ok(ok, "Content-Length: \"%s\" -> %s", cl[i].val,
			    cl[i].ok ? "found" : "BAD"))
			tap_diag("got %s %u", st_name(m.content_length_state),
				 m.content_length);
	}
	parse_str(H_OPT "\r\n", &m);
	check_state("Content-Length absent", m.content_length_state,
		    SIP_F_ABSENT);

	cur = "Call-ID";
	parse_str(H_OPT "Call-ID: a@b@c\r\n\r\n", &m);
	check_state("two '@'", m.call_id_state, SIP_F_BAD);
	parse_str(H_OPT "i: a b\r\n\r\n", &m);
	check_state("inner SP", m.call_id_state, SIP_F_BAD);
	parse_str(H_OPT "i: \r\n\r\n", &m);
	check_state("empty", m.call_id_state, SIP_F_BAD);
	parse_str(H_OPT "i: @b\r\n\r\n", &m);
	check_state("empty before '@'", m.call_id_state, SIP_F_BAD);
	parse_str(H_OPT "i: x@\r\n\r\n", &m);
	check_state("empty after '@'", m.call_id_state, SIP_F_BAD);
}

static void test_repeats_and_lists(void)
{
	static const char contacts[] =
		H_OPT
		"Contact: <sip:a@b>;q=0.5, \"x, y\" <sip:c@d>, sip:e@f;"
		"expires=60\r\n"
		"m: <sip:g@h?Subject=a,b>\r\n"
		"Contact: <sip:i@j>\r\n\r\n";
	static const char *const dups[] = {
		"From: <sip:a@b>;tag=1\r\nf: <sip:a@b>;tag=1\r\n",
		"To: <sip:a@b>\r\nt: <sip:a@b>\r\n",
		"Call-ID: x\r\ni: x\r\n",
		"CSeq: 1 OPTIONS\r\nCSeq: 1 OPTIONS\r\n",
		"Content-Length: 0\r\nl: 0\r\n",
		"User-Agent: a\r\nUser-Agent: a\r\n",
	};
	char msg[256];
	struct sip_msg m;
	unsigned int i;

	cur = "Contact list";
	check_status(parse_str(contacts, &m), SIP_OK, &m);
	check_uint("Contact values over three headers", m.contact_count, 5);
	parse_str(H_OPT "Contact: *\r\n\r\n", &m);
	tap_ok(m.contact_state == SIP_F_FOUND && m.contact_count == 1,
	       "Contact: * is one value");
	parse_str(H_OPT "Contact: <sip:a@b>,,<sip:c@d>\r\n\r\n", &m);
	tap_ok(m.contact_state == SIP_F_BAD && m.error == SIP_E_CONTACT,
	       "Contact: empty list element is BAD");
	parse_str(H_OPT "Contact:\r\n\r\n", &m);
	tap_ok(m.contact_state == SIP_F_BAD && m.error == SIP_E_CONTACT,
	       "Contact: empty value is BAD");

	cur = "duplicates";
	for (i = 0; i < sizeof(dups) / sizeof(dups[0]); i++) {
		snprintf(msg, sizeof(msg), H_OPT "%s\r\n", dups[i]);
		if (!tap_ok(parse_str(msg, &m) == SIP_MALFORMED &&
			    m.error == SIP_E_DUPLICATE &&
			    m.error_off == 35 + strcspn(dups[i], "\n") + 1,
			    "duplicates: %.*s twice is BAD",
			    (int)strcspn(dups[i], ":"), dups[i]))
			tap_diag("got \"%s\" at %u", sip_error_str(m.error),
				 m.error_off);
	}
	parse_str(H_OPT "To: <sip:a@b>\r\nTo: <sip:a@b>\r\n\r\n", &m);
	tap_ok(m.to.state == SIP_F_BAD && !m.to.uri.host.len,
	       "duplicates: fields of a repeated header are cleared");
}

/* Credentials: whether a request carried them (failure bans, failures.c). */
static void test_credentials(void)
{
	struct sip_msg m;

	cur = "credentials";
	check_status(parse_str(H_OPT "\r\n", &m), SIP_OK, &m);
	tap_ok(!m.credentials, "credentials: none without Authorization");
	parse_str(H_OPT "Authorization: Digest username=\"100\", response=\"x\"\r\n\r\n", &m);
	tap_ok(m.credentials, "credentials: Authorization");
	parse_str(H_OPT "proxy-authorization: Digest username=\"100\"\r\n\r\n", &m);
	tap_ok(m.credentials, "credentials: Proxy-Authorization, any case");
	parse_str(H_OPT "WWW-Authenticate: Digest realm=\"x\"\r\n"
		  "Authentication-Info: nextnonce=\"y\"\r\n\r\n", &m);
	tap_ok(!m.credentials, "credentials: a challenge or Authentication-Info are not");
}

/* Registration lifetimes: the Expires header and Contact's expires. */
static void test_expires(void)
{
	struct sip_msg m;

	cur = "expires";
	check_status(parse_str(H_OPT "Expires: 3600\r\n"
			       "Contact: <sip:100@192.0.2.130:5060>;expires=120;q=1, "
			       "<sip:100@192.0.2.131>;expires=60\r\n\r\n", &m), SIP_OK, &m);
	check_state("Expires", m.expires_state, SIP_F_FOUND);
	check_uint("Expires value", m.expires, 3600);
	tap_ok(m.contact_expires_found, "expires: Contact's expires found");
	check_uint("first Contact value's expires", m.contact_expires, 120);

	parse_str(H_OPT "expires:  0 \r\nContact: sip:a@b;expires=0\r\n\r\n", &m);
	tap_ok(m.expires_state == SIP_F_FOUND && m.expires == 0 &&
	       m.contact_expires_found && m.contact_expires == 0,
	       "expires: 0 (an unregister) in both forms, any case, with LWS");

	parse_str(H_OPT "Contact: <sip:a@b>, <sip:c@d>;expires=30\r\n\r\n", &m);
	tap_ok(m.expires_state == SIP_F_ABSENT && !m.contact_expires_found,
	       "expires: only the first Contact value's parameter counts");

	parse_str(H_OPT "Contact: <sip:a@b;expires=99>\r\n\r\n", &m);
	tap_ok(!m.contact_expires_found,
	       "expires: a URI parameter inside <> is not the header parameter");

	tap_ok(parse_str(H_OPT "Expires: soon\r\n\r\n", &m) == SIP_MALFORMED &&
	       m.expires_state == SIP_F_BAD && m.error == SIP_E_EXPIRES,
	       "expires: a non-number is BAD");
	tap_ok(parse_str(H_OPT "Expires: 4294967296\r\n\r\n", &m) == SIP_MALFORMED &&
	       m.expires_state == SIP_F_BAD, "expires: overflow is BAD");
	tap_ok(parse_str(H_OPT "Expires: 1\r\nExpires: 1\r\n\r\n", &m) == SIP_MALFORMED &&
	       m.error == SIP_E_DUPLICATE, "expires: twice is BAD");
	tap_ok(parse_str(H_OPT "Contact: <sip:a@b>;expires=x\r\n\r\n", &m) == SIP_OK &&
	       m.contact_state == SIP_F_FOUND && !m.contact_expires_found,
	       "expires: Contact expires=x is not reported, the Contact stands");

	/* RFC 4475 3.1.2.4: both lifetimes beyond 2^32-1. */
	parse_str(H_OPT "Expires: 100000000000000000000\r\n"
		  "Contact: <sip:user@host>\r\n  ;expires=280297596632815\r\n\r\n", &m);
	tap_ok(m.expires_state == SIP_F_BAD && m.contact_state == SIP_F_FOUND &&
	       !m.contact_expires_found,
	       "expires: scalar02's lifetimes: Expires BAD, Contact's not reported");
}

static void test_user_agent(void)
{
	static const char msg[] =
		H_OPT "User-Agent:   Friendly-Scanner/1.0 (sipvicious)  \r\n\r\n";
	const u8 *b = (const u8 *)msg;
	struct sip_field empty = { 0, 0 };
	struct sip_msg m;

	cur = "User-Agent";
	parse_str(msg, &m);
	check_state("User-Agent", m.user_agent_state, SIP_F_FOUND);
	check_field(b, &m.user_agent, "value trimmed",
		    "Friendly-Scanner/1.0 (sipvicious)");
	tap_ok(sip_field_contains_ci(b, &m.user_agent, "friendly-scanner", 16),
	       "contains_ci: lower-case needle");
	tap_ok(sip_field_contains_ci(b, &m.user_agent, "SIPVICIOUS)", 11),
	       "contains_ci: needle at the very end");
	tap_ok(sip_field_contains_ci(b, &m.user_agent, "F", 1),
	       "contains_ci: needle at the very start");
	tap_ok(!sip_field_contains_ci(b, &m.user_agent, "sipvicious)x", 12),
	       "contains_ci: needle running past the end");
	tap_ok(!sip_field_contains_ci(b, &m.user_agent, "sipcli", 6),
	       "contains_ci: absent needle");
	tap_ok(sip_field_contains_ci(b, &m.user_agent, "", 0),
	       "contains_ci: empty needle matches");
	tap_ok(!sip_field_contains_ci(b, &empty, "x", 1),
	       "contains_ci: empty field");
	tap_ok(sip_field_eq_ci(b, &m.user_agent,
			       "FRIENDLY-SCANNER/1.0 (SIPVICIOUS)", 33) &&
	       !sip_field_eq_ci(b, &m.user_agent, "friendly-scanner", 16),
	       "eq_ci: whole field only");
	tap_ok(!sip_field_eq_ci(b, &m.user_agent,
				"Friendly-Scanner/1.0 (sipvicious]", 33),
	       "eq_ci: ')' and ']' differ (no blind |0x20)");
	parse_str(H_OPT "User-Agent:  \r\n\r\n", &m);
	tap_ok(m.user_agent_state == SIP_F_BAD &&
	       m.error == SIP_E_USER_AGENT, "User-Agent: empty is BAD");
}

static void test_stream(void)
{
	static const char two[] =
		"INVITE sip:100@192.0.2.1 SIP/2.0\r\n"
		"Call-ID: first\r\nContent-Length: 4\r\n\r\n"
		"body"
		"BYE sip:100@192.0.2.1 SIP/2.0\r\n"
		"Call-ID: second\r\nContent-Length: 0\r\n\r\n";
	const u8 *b = (const u8 *)two;
	struct sip_msg m;
	u32 next;

	cur = "two messages in one segment";
	check_status(parse_str(two, &m), SIP_OK, &m);
	check_field(b, &m.call_id, "first Call-ID", "first");
	next = m.hdr_end + m.content_length;
	check_status(sip_parse(b + next, sizeof(two) - 1 - next, &m), SIP_OK,
		     &m);
	check_field(b + next, &m.call_id, "second Call-ID", "second");
	check_uint("second method", m.method, SIP_METHOD_BYE);
	check_uint("second hdr_end is the end", next + m.hdr_end,
		   sizeof(two) - 1);
}

static void test_dblreq_second(void)
{
	struct sip_msg m;
	size_t len;
	u8 *buf;
	u32 off;

	cur = "dblreq second request";
	buf = read_file("rfc4475/dblreq.dat", &len);
	if (!tap_ok(buf != NULL, "%s: read", cur))
		return;
	sip_parse(buf, len, &m);
	off = m.hdr_end + m.content_length;
	/* UDP: bytes past Content-Length are discarded; on a stream they
	 * would be the next message, after the CRLF RFC 3261 7.5 skips */
	check_status(sip_parse(buf + off, len - off, &m), SIP_OK, &m);
	check_uint("start_off skips the CRLF", m.start_off, 2);
	check_uint("method", m.method, SIP_METHOD_INVITE);
	check_field(buf + off, &m.to.uri.user, "t: user", "joe");
	check_field(buf + off, &m.call_id, "Call-ID",
		    "dblreq.0ha0isnda977644900765@192.0.2.15");
	check_uint("Content-Length", m.content_length, 150);
	free(buf);
}

static void test_window(void)
{
	size_t n = SIP_MAX_WINDOW + 100;
	char *big = malloc(n);
	struct sip_msg m;

	cur = "window";
	memset(big, 'a', n);
	memcpy(big, H_OPT "X: ", sizeof(H_OPT "X: ") - 1);
	memcpy(big + n - 4, "\r\n\r\n", 4);
	tap_ok(sip_parse((u8 *)big, n, &m) == SIP_TRUNCATED,
	       "window: headers ending past 64 KiB are TRUNCATED");
	free(big);
	tap_ok(sizeof(struct sip_msg) <= 256,
	       "struct sip_msg is %zu bytes (<= 256)", sizeof(struct sip_msg));
}

static void test_version_scan(void)
{
	static const struct {
		const char *s;
		bool ends_line;
	} lines[] = {
		{ "SIP/2.0\r\n", true },
		{ "sip/2.0\n", true },
		{ "Sip/2.0  \t\r\n", true },
		{ "SIP/2.0", true },		/* the segment ends there */
		{ "SIP/2.0   ", true },
		{ "SIP/2.0/TCP host", false },	/* Via */
		{ "SIP/2.0 200 OK\r\n", false },	/* status line, sipfrag */
		{ "SIP/2.1\r\n", false },
		{ "SIP/2.", false },
		{ "SIPX2.0\r\n", false },
	};
	static const struct {
		const char *s;
		bool split;
	} tails[] = {
		{ "INVITE sip:100@x S", true },
		{ "INVITE sip:100@x si", true },
		{ "INVITE sip:100@x SIP/2.", true },
		{ "INVITE sip:100@x\tSIP/", true },
		{ " s", true },
		{ "INVITE sip:100@x SIP/2.0", false },	/* whole: the line scan's */
		{ "a=sendrecv", false },
		{ "c=IN IP4 192.0.2.10", false },
		{ "s=", false },
		{ "xs", false },
		{ "", false },
		{ " ", false },
	};
	unsigned int i;

	cur = "version scan";
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		tap_ok(sip_version_ends_line((const u8 *)lines[i].s,
					     strlen(lines[i].s)) == lines[i].ends_line,
		       "version scan: \"%s\" %s a request line", escaped(lines[i].s),
		       lines[i].ends_line ? "ends" : "does not end");
	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++)
		tap_ok(sip_ends_in_version_prefix((const u8 *)tails[i].s,
						  strlen(tails[i].s)) == tails[i].split,
		       "version scan: a segment ending \"%s\" %s", escaped(tails[i].s),
		       tails[i].split ? "may cut a request line" : "cuts none");
}

static void test_error_strings(void)
{
	unsigned int i, j;
	bool ok = true;

	for (i = 0; i < __SIP_E_MAX; i++) {
		const char *s = sip_error_str(i);

		if (!s || !*s)
			ok = false;
		for (j = 0; j < i && ok; j++)
			if (!strcmp(s, sip_error_str(j)))
				ok = false;
	}
	tap_ok(ok, "error strings: every code has its own text");
	tap_ok(!strcmp(sip_error_str(__SIP_E_MAX), "unknown error") &&
	       !strcmp(sip_error_str((enum sip_error)-1), "unknown error"),
	       "error strings: out-of-range code");
}

struct vicious_case {
	const char *name, *msg;
	enum sip_status st;
	enum sip_error err;
	enum sip_method method;
	const char *ruri_user, *via_branch, *from_user, *from_tag, *to_user;
	const char *call_id, *ua;
	unsigned int cseq;
	int contact_st;
	bool auth;
};

static void test_sipvicious(void)
{
#define FRIENDLY	"friendly-scanner"
#define SVMAP_TAG	"6336333336343037313363340131323334353637383930"
#define SVWAR_TAG	"313030300131323334353637383930"
#define SVCRACK_TAG	"3130303a313233340131323334353637383930"
	static const struct vicious_case c[] = {
		{ "svmap OPTIONS", svmap_options, SIP_OK, 0,
		  SIP_METHOD_OPTIONS, NULL, "z9hG4bK-3141592653", "100",
		  SVMAP_TAG, "100", "1234567890123456789012", FRIENDLY, 1,
		  SIP_F_FOUND },
		{ "svmap -c OPTIONS", svmap_options_compact, SIP_OK, 0,
		  SIP_METHOD_OPTIONS, NULL, "z9hG4bK-3141592653", "100",
		  SVMAP_TAG, "100", "1234567890123456789012", NULL, 1,
		  SIP_F_FOUND },
		{ "svmap -m REGISTER (\"Contact: None\")", svmap_register,
		  SIP_MALFORMED, SIP_E_CONTACT, SIP_METHOD_REGISTER, NULL,
		  "z9hG4bK-3141592653", "100", SVMAP_TAG, "100",
		  "1234567890123456789012", FRIENDLY, 1, SIP_F_BAD },
		{ "svmap -m INVITE", svmap_invite, SIP_OK, 0,
		  SIP_METHOD_INVITE, NULL, "z9hG4bK-3141592653", "100",
		  SVMAP_TAG, "100", "1234567890123456789012", FRIENDLY, 1,
		  SIP_F_FOUND },
		{ "svwar REGISTER", svwar_register, SIP_OK, 0,
		  SIP_METHOD_REGISTER, NULL, "z9hG4bK-1618033988", "1000",
		  SVWAR_TAG, "1000", "2718281828", FRIENDLY, 1, SIP_F_FOUND },
		{ "svwar -m INVITE", svwar_invite, SIP_OK, 0,
		  SIP_METHOD_INVITE, "1000", "z9hG4bK-1618033988", "1000",
		  SVWAR_TAG, "1000", "2718281828", FRIENDLY, 1, SIP_F_FOUND },
		{ "svwar -c REGISTER", svwar_register_compact, SIP_OK, 0,
		  SIP_METHOD_REGISTER, NULL, "z9hG4bK-1618033988", "1000",
		  SVWAR_TAG, "1000", "2718281828", NULL, 1, SIP_F_FOUND },
		{ "svcrack REGISTER", svcrack_register, SIP_OK, 0,
		  SIP_METHOD_REGISTER, NULL, "z9hG4bK-1732050807", "100",
		  "3206210844", "100", "1414213562", FRIENDLY, 1,
		  SIP_F_FOUND },
		{ "svcrack REGISTER with Authorization",
		  svcrack_register_auth, SIP_OK, 0, SIP_METHOD_REGISTER, NULL,
		  "z9hG4bK-1732050807", "100", SVCRACK_TAG, "100",
		  "1414213562", FRIENDLY, 2, SIP_F_FOUND, true },
		{ "svcrack -c REGISTER with Authorization",
		  svcrack_register_auth_compact, SIP_OK, 0,
		  SIP_METHOD_REGISTER, NULL, "z9hG4bK-1732050807", "100",
		  SVCRACK_TAG, "100", "1414213562", NULL, 2, SIP_F_FOUND,
		  true },
	};
	struct sip_msg m;
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const u8 *b = (const u8 *)c[i].msg;
		enum sip_status st = parse_str(c[i].msg, &m);

		cur = c[i].name;
		check_status(st, c[i].st, &m);
		check_error(&m, c[i].err);
		check_uint("method", m.method, c[i].method);
		check_field(b, &m.uri.user, "Request-URI user", c[i].ruri_user);
		check_field(b, &m.uri.host, "Request-URI host", "198.51.100.7");
		check_field(b, &m.via.transport, "Via transport", "UDP");
		check_field(b, &m.via.host, "Via host", "203.0.113.5");
		check_uint("Via port", m.via.port, 5060);
		check_field(b, &m.via.branch, "Via branch", c[i].via_branch);
		check_field(b, &m.from.uri.user, "From user", c[i].from_user);
		check_field(b, &m.from.tag, "From tag", c[i].from_tag);
		check_field(b, &m.to.uri.user, "To user", c[i].to_user);
		check_field(b, &m.to.tag, "To tag", NULL);
		check_field(b, &m.call_id, "Call-ID", c[i].call_id);
		check_uint("CSeq", m.cseq.num, c[i].cseq);
		check_uint("CSeq method", m.cseq.method, c[i].method);
		check_state("User-Agent", m.user_agent_state,
			    c[i].ua ? SIP_F_FOUND : SIP_F_ABSENT);
		check_field(b, &m.user_agent, "User-Agent", c[i].ua);
		if (c[i].ua)
			tap_ok(sip_field_contains_ci(b, &m.user_agent,
						     "FRIENDLY-SCANNER", 16),
			       "%s: User-Agent signature matches", cur);
		check_state("Contact", m.contact_state, c[i].contact_st);
		check_uint("Content-Length", m.content_length, 0);
		check_uint("hdr_end is the whole datagram", m.hdr_end,
			   strlen(c[i].msg));
	}
}

/* sip_contact_next(): every binding of a registrar's 2xx, in order. */
static void test_contact_iter(void)
{
	static const char ok200[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 192.0.2.130:5070;branch=z9hG4bK-1\r\n"
		"From: <sip:100@example.com>;tag=1\r\nTo: <sip:100@example.com>;tag=2\r\n"
		"Call-ID: c@d\r\nCSeq: 2 REGISTER\r\n"
		"Contact: <sip:100@192.0.2.131>;expires=3600, \"B, b\" <sip:100@192.0.2.130:5070;ob>\r\n"
		"  ;expires=60\r\n"
		"Expires: 90\r\n"
		"m: sip:100@[2001:db8::1]:5062;expires=7\r\n"
		"Content-Length: 0\r\n\r\n";
	struct sip_contact_iter it = {};
	struct sip_contact c;
	struct sip_msg m;
	unsigned int n = 0;

	cur = "Contact iterator";
	check_status(parse_str(ok200, &m), SIP_OK, &m);
	while (n < 8 && sip_contact_next((const u8 *)ok200, &m, &it, &c)) {
		if (n == 0)
			tap_ok(sip_field_eq((const u8 *)ok200, &c.uri.host, "192.0.2.131", 11) &&
			       !c.uri.port && c.expires_found && c.expires == 3600,
			       "first binding: host, no port, expires 3600");
		if (n == 1)
			tap_ok(sip_field_eq((const u8 *)ok200, &c.uri.host, "192.0.2.130", 11) &&
			       c.uri.port == 5070 && c.expires_found && c.expires == 60,
			       "second binding: quoted comma, folded parameter, expires 60");
		if (n == 2)
			tap_ok(sip_field_eq((const u8 *)ok200, &c.uri.host, "[2001:db8::1]", 13) &&
			       c.uri.port == 5062 && c.expires == 7,
			       "compact form after another header: IPv6 host, port, expires 7");
		n++;
	}
	check_uint("three bindings, then the end", n, 3);
	check_uint("iterator stays at the end", sip_contact_next((const u8 *)ok200, &m, &it, &c), 0);

	parse_str(H_OPT "Contact: *\r\nContact: <sip:a@b>\r\n\r\n", &m);
	memset(&it, 0, sizeof(it));
	tap_ok(sip_contact_next((const u8 *)(H_OPT "Contact: *\r\nContact: <sip:a@b>\r\n\r\n"),
				&m, &it, &c) && c.star, "Contact: * is reported as star");
	memset(&m, 0, sizeof(m));
	memset(&it, 0, sizeof(it));
	tap_ok(!sip_contact_next((const u8 *)ok200, &m, &it, &c),
	       "no parsed header section: nothing");
}

int main(void)
{
	unsigned int i;

	tap_plan_start();
	for (i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++)
		test_corpus_message(&corpus[i]);
	for (i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++)
		test_corpus_prefixes(corpus[i].file);
	for (i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++)
		test_corpus_readonly(corpus[i].file);
	tap_ok(sizeof(corpus) / sizeof(corpus[0]) == 49 + 12,
	       "corpus: all 49 RFC 4475 and 12 RFC 5118 messages covered");
	test_methods();
	test_start_lines();
	test_request_uris();
	test_header_names();
	test_framing();
	test_addr();
	test_via();
	test_cseq_cl();
	test_repeats_and_lists();
	test_user_agent();
	test_expires();
	test_credentials();
	test_contact_iter();
	test_stream();
	test_dblreq_second();
	test_window();
	test_version_scan();
	test_error_strings();
	test_sipvicious();
	return tap_done();
}
