// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The reference parser for diff_parser_ref.c: kmod/sip_parser.c as of
 * commit 363fd0e, before its hot paths were rewritten for speed, with its
 * public names prefixed ref_ so that both link into one fuzz target.  Not
 * built into the module.  Do not edit: it is the behaviour the rewritten
 * parser must reproduce byte for byte.
 */
#define sip_parse			ref_sip_parse
#define sip_header_id			ref_sip_header_id
#define sip_method_id			ref_sip_method_id
#define sip_method_name			ref_sip_method_name
#define sip_error_str			ref_sip_error_str
#define sip_version_ends_line		ref_sip_version_ends_line
#define sip_ends_in_version_prefix	ref_sip_ends_in_version_prefix
#define sip_has_mandatory		ref_sip_has_mandatory
#define sip_field_eq			ref_sip_field_eq
#define sip_field_eq_ci			ref_sip_field_eq_ci
#define sip_field_contains_ci		ref_sip_field_contains_ci
#define sip_contact_next		ref_sip_contact_next
/*
 * SIP start line and header parser; see sip_parser.h for the contract.
 *
 * Shape: one pass over the header section.  Each header line is framed
 * first (name, colon, value up to the last line of its folds, found with
 * memchr), so a value parser works on a closed range [p, end) and can treat
 * every CR/LF inside it as folding whitespace.  Headers the guard does not
 * use cost a name scan and a memchr.  Positions are u32 offsets; NPOS marks
 * a failed scan so that no helper needs an out-parameter.
 */
#include "sg_types.h"
#include "sip_parser.h"

#define NPOS		0xffffffffU
#define NPOS_HDRS	0xfffffffeU	/* URI with ?headers where none allowed */

/*
 * Character classes of RFC 3261 section 25.1, one bit per rule.  '%' sits in
 * the URI classes so that a scan stops nowhere inside an escape; the scanner
 * then checks the two hex digits.
 */
#define C_TOKEN		0x0001	/* token */
#define C_WORD		0x0002	/* word (Call-ID) */
#define C_USER		0x0004	/* user: unreserved, escaped, user-unreserved */
#define C_PASS		0x0008	/* password */
#define C_PARAM		0x0010	/* paramchar */
#define C_HOST		0x0020	/* hostname and IPv4address */
#define C_SCHEME	0x0040	/* scheme after its first letter */
#define C_ALPHA		0x0080
#define C_DIGIT		0x0100
#define C_HEX		0x0200
#define C_URIC		0x0400	/* uric: reserved, unreserved, escaped */
#define C_PVAL		0x0800	/* gen-value: token or host (IPv6 too) */
#define C_WSP		0x1000	/* SP HTAB */

#define M_ALNUM (C_TOKEN | C_WORD | C_USER | C_PASS | C_PARAM | C_HOST | \
		 C_SCHEME | C_URIC | C_PVAL)
#define M_MARK	(C_WORD | C_USER | C_PASS | C_PARAM | C_URIC)

static const u16 cc[256] = {
	['0' ... '9'] = M_ALNUM | C_DIGIT | C_HEX,
	['A' ... 'F'] = M_ALNUM | C_ALPHA | C_HEX,
	['G' ... 'Z'] = M_ALNUM | C_ALPHA,
	['a' ... 'f'] = M_ALNUM | C_ALPHA | C_HEX,
	['g' ... 'z'] = M_ALNUM | C_ALPHA,
	['-']	= M_MARK | C_TOKEN | C_HOST | C_SCHEME | C_PVAL,
	['.']	= M_MARK | C_TOKEN | C_HOST | C_SCHEME | C_PVAL,
	['!']	= M_MARK | C_TOKEN | C_PVAL,
	['~']	= M_MARK | C_TOKEN | C_PVAL,
	['*']	= M_MARK | C_TOKEN | C_PVAL,
	['_']	= M_MARK | C_TOKEN | C_PVAL,
	['\'']	= M_MARK | C_TOKEN | C_PVAL,
	['(']	= M_MARK,
	[')']	= M_MARK,
	['%']	= M_MARK | C_TOKEN | C_PVAL,
	['+']	= M_MARK | C_TOKEN | C_SCHEME | C_PVAL,
	['`']	= C_TOKEN | C_WORD | C_PVAL,
	['&']	= C_USER | C_PASS | C_PARAM | C_URIC,
	['$']	= C_USER | C_PASS | C_PARAM | C_URIC,
	['=']	= C_USER | C_PASS | C_URIC,
	[',']	= C_USER | C_PASS | C_URIC,
	[';']	= C_USER | C_URIC,
	['?']	= C_USER | C_URIC | C_WORD,
	['/']	= C_USER | C_PARAM | C_URIC | C_WORD,
	[':']	= C_PARAM | C_URIC | C_WORD | C_PVAL,
	['[']	= C_PARAM | C_WORD | C_PVAL,
	[']']	= C_PARAM | C_WORD | C_PVAL,
	['@']	= C_URIC,
	['<']	= C_WORD,
	['>']	= C_WORD,
	['\\']	= C_WORD,
	['"']	= C_WORD,
	['{']	= C_WORD,
	['}']	= C_WORD,
	[' ']	= C_WSP,
	['\t']	= C_WSP,
};

static enum sip_hdr header_id(const u8 *s, u32 n);

static inline bool is(u8 c, u16 cls)
{
	return cc[c] & cls;
}

static inline u8 lower(u8 c)
{
	return (u8)(c - 'A') < 26 ? c | 0x20 : c;
}

static inline struct sip_field fld(u32 off, u32 end)
{
	struct sip_field f = { .off = (u16)off, .len = (u16)(end - off) };

	return f;
}

/* @lit is lower case; the bytes compared are exactly @n long. */
static bool eq_ci(const u8 *s, const char *lit, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (lower(s[i]) != (u8)lit[i])
			return false;
	return true;
}

static inline u64 load64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline u32 load32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * eq_ci() for bytes already known to be token or scheme characters, a word
 * at a time.  Among those, c | 0x20 equals a lower-case letter or '-' only
 * when c is that letter in either case, so OR-ing 0x20 into every byte is
 * an exact case fold.  @lit: lower-case letters and '-', @n bytes long.
 */
static bool eq_tok(const u8 *s, const char *lit, u32 n)
{
	const u8 *l = (const u8 *)lit;
	u32 i;

	if (n >= 8) {
		for (i = 0; i + 8 <= n; i += 8)
			if ((load64(s + i) | 0x2020202020202020ULL) !=
			    load64(l + i))
				return false;
		/* the tail as one overlapping word */
		return i == n || (load64(s + n - 8) | 0x2020202020202020ULL) ==
				 load64(l + n - 8);
	}
	if (n >= 4)
		return (load32(s) | 0x20202020U) == load32(l) &&
		       (load32(s + n - 4) | 0x20202020U) == load32(l + n - 4);
	for (i = 0; i < n; i++)
		if ((s[i] | 0x20) != l[i])
			return false;
	return true;
}

#define EQ_CI(s, n, lit) ((n) == sizeof(lit) - 1 && eq_tok(s, lit, n))

/* The run of @cls bytes from @p; four per bounds check, it is the hot loop. */
static u32 scan(const u8 *b, u32 p, u32 end, u16 cls)
{
	while (end - p >= 4) {
		if (!is(b[p], cls))
			return p;
		if (!is(b[p + 1], cls))
			return p + 1;
		if (!is(b[p + 2], cls))
			return p + 2;
		if (!is(b[p + 3], cls))
			return p + 3;
		p += 4;
	}
	while (p < end && is(b[p], cls))
		p++;
	return p;
}

static u32 skip_lws_slow(const u8 *b, u32 p, u32 end);

/*
 * Linear whitespace inside a framed value.  An LF there always starts a fold
 * (framing guarantees SP/HT after it); a CR counts only as half of CRLF.
 * Most calls find none, hence the inline test of the first byte.
 */
static inline u32 skip_lws(const u8 *b, u32 p, u32 end)
{
	if (p >= end || b[p] > ' ')
		return p;
	return skip_lws_slow(b, p, end);
}

static u32 skip_lws_slow(const u8 *b, u32 p, u32 end)
{
	while (p < end) {
		u8 c = b[p];

		if (c == ' ' || c == '\t' || c == '\n')
			p++;
		else if (c == '\r' && p + 1 < end && b[p + 1] == '\n')
			p += 2;
		else
			break;
	}
	return p;
}

/* Like scan() for URI classes, but every '%' must start a %HH escape. */
static u32 scan_esc(const u8 *b, u32 p, u32 end, u16 cls)
{
	while (p < end && is(b[p], cls)) {
		if (b[p] == '%') {
			if (end - p < 3 || !is(b[p + 1], C_HEX) ||
			    !is(b[p + 2], C_HEX))
				return NPOS;
			p += 3;
		} else {
			p++;
		}
	}
	return p;
}

/* b[p] is '"'; returns the offset after the closing quote. */
static u32 scan_quoted(const u8 *b, u32 p, u32 end)
{
	for (p++; p < end; p++) {
		u8 c = b[p];

		if (c == '"')
			return p + 1;
		if (c == '\\') {
			/* quoted-pair: any octet up to 0x7f but CR and LF */
			if (++p >= end || b[p] > 0x7f ||
			    b[p] == '\r' || b[p] == '\n')
				return NPOS;
		} else if (c == '\r') {
			if (p + 1 >= end || b[p + 1] != '\n')
				return NPOS;
		} else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
			return NPOS;
		}
	}
	return NPOS;
}

/* 1*DIGIT into a u32; NPOS on overflow, no digit, or a non-digit at @end. */
static u32 scan_u32(const u8 *b, u32 p, u32 end, u32 *val)
{
	u64 v = 0;
	u32 s = p;

	while (p < end && is(b[p], C_DIGIT)) {
		v = v * 10 + (b[p] - '0');
		if (v > 0xffffffffULL)
			return NPOS;
		p++;
	}
	if (p == s)
		return NPOS;
	*val = (u32)v;
	return p;
}

static bool ipv4_ok(const u8 *b, u32 p, u32 end)
{
	unsigned int part;

	for (part = 0; part < 4; part++) {
		u32 s = p, v = 0;

		while (p < end && is(b[p], C_DIGIT) && p - s < 3)
			v = v * 10 + (b[p++] - '0');
		if (p == s || v > 255)
			return false;
		if (part < 3) {
			if (p >= end || b[p] != '.')
				return false;
			p++;
		}
	}
	return p == end;
}

/*
 * IPv6address of RFC 5954 (which fixed the three-colon bug in RFC 3261's
 * ABNF): 1-4 hex digit groups, one "::" at most, an optional IPv4 tail.
 */
static bool ipv6_ok(const u8 *b, u32 p, u32 end)
{
	unsigned int groups = 0;
	bool dcolon = false;

	if (p < end && b[p] == ':') {
		if (p + 1 >= end || b[p + 1] != ':')
			return false;
		p += 2;
		dcolon = true;
	}
	while (p < end) {
		u32 s = p;

		while (p < end && is(b[p], C_HEX) && p - s < 5)
			p++;
		if (p < end && b[p] == '.') {
			if (!ipv4_ok(b, s, end))
				return false;
			groups += 2;
			break;
		}
		if (p == s || p - s > 4)
			return false;
		groups++;
		if (p == end)
			break;
		if (b[p] != ':')
			return false;
		if (++p == end)
			return false;
		if (b[p] == ':') {
			if (dcolon)
				return false;
			dcolon = true;
			p++;
		}
	}
	return dcolon ? groups <= 7 : groups == 8;
}

/*
 * host [":" port]; host is a hostname, IPv4address or IPv6reference.  Via's
 * sent-by allows LWS around the colon (COLON = SWS ":" SWS), a URI does not.
 */
static u32 scan_hostport(const u8 *b, u32 p, u32 end, struct sip_field *host,
			 u16 *port, bool sws)
{
	u32 s = p, q, v;

	if (p < end && b[p] == '[') {
		p++;
		while (p < end && (is(b[p], C_HEX) || b[p] == ':' ||
				   b[p] == '.'))
			p++;
		if (p >= end || b[p] != ']' || !ipv6_ok(b, s + 1, p))
			return NPOS;
		p++;
	} else {
		if (p >= end || !is(b[p], C_ALPHA | C_DIGIT))
			return NPOS;
		p = scan(b, p, end, C_HOST);
	}
	*host = fld(s, p);
	q = sws ? skip_lws(b, p, end) : p;
	if (q < end && b[q] == ':') {
		q = sws ? skip_lws(b, q + 1, end) : q + 1;
		p = scan_u32(b, q, end, &v);
		if (p == NPOS || v > 65535)
			return NPOS;
		*port = (u16)v;
	}
	return p;
}

enum uri_mode {
	URI_RURI,	/* ends at SP */
	URI_NAMEADDR,	/* ends at '>' */
	URI_ADDRSPEC,	/* no <>: ends before ';' ',' '?' or LWS (20.10) */
};

static u8 scheme_id(const u8 *s, u32 n)
{
	if (EQ_CI(s, n, "sip"))
		return SIP_SCHEME_SIP;
	if (EQ_CI(s, n, "sips"))
		return SIP_SCHEME_SIPS;
	if (EQ_CI(s, n, "tel"))
		return SIP_SCHEME_TEL;
	return SIP_SCHEME_OTHER;
}

/*
 * Parses the URI at @p and returns the offset of the byte that ended it
 * (not consumed), NPOS if it is malformed, NPOS_HDRS if it carries ?headers
 * and @hdrs_ok is false.
 */
static u32 parse_uri(const u8 *b, u32 p, u32 end, struct sip_uri *u,
		     enum uri_mode mode, bool hdrs_ok)
{
	u32 s = p, q, at;

	if (p >= end || !is(b[p], C_ALPHA))
		return NPOS;
	p = scan(b, p + 1, end, C_SCHEME);
	if (p >= end || b[p] != ':')
		return NPOS;
	u->scheme = fld(s, p);
	u->scheme_id = scheme_id(b + s, p - s);
	p++;

	if (u->scheme_id == SIP_SCHEME_SIP || u->scheme_id == SIP_SCHEME_SIPS) {
		/*
		 * userinfo is there iff an '@' ends the run of characters a
		 * userinfo may hold.  Without <>, ';' '?' ',' end the URI, so
		 * they cannot be in its user part.
		 */
		q = p;
		while (q < end && (is(b[q], C_USER | C_PASS) || b[q] == ':')) {
			if (mode == URI_ADDRSPEC &&
			    (b[q] == ';' || b[q] == '?' || b[q] == ','))
				break;
			q++;
		}
		if (q < end && b[q] == '@') {
			at = q;
			q = scan_esc(b, p, at, C_USER);
			if (q == NPOS || q == p)
				return NPOS;
			u->user = fld(p, q);
			if (q < at) {
				/* b[q] is the ':' before the password */
				q = scan_esc(b, q + 1, at, C_PASS);
				if (q != at)
					return NPOS;
			}
			p = at + 1;
		}
		p = scan_hostport(b, p, end, &u->host, &u->port, false);
		if (p == NPOS)
			return NPOS;
		/* uri-parameters: only inside <> or on the request line */
		while (mode != URI_ADDRSPEC && p < end && b[p] == ';') {
			q = scan_esc(b, p + 1, end, C_PARAM);
			if (q == NPOS || q == p + 1)
				return NPOS;
			p = q;
			if (p < end && b[p] == '=') {
				q = scan_esc(b, p + 1, end, C_PARAM);
				if (q == NPOS || q == p + 1)
					return NPOS;
				p = q;
			}
		}
		if (p < end && b[p] == '?') {
			if (!hdrs_ok)
				return NPOS_HDRS;
			/* headers: hname "=" hvalue *( "&" ... ), all uric */
			p = scan_esc(b, p + 1, end, C_URIC);
			if (p == NPOS)
				return NPOS;
		}
	} else if (u->scheme_id == SIP_SCHEME_TEL) {
		/* telephone-subscriber up to its parameters */
		q = p;
		while (q < end && is(b[q], C_URIC) && b[q] != ';' &&
		       b[q] != ',' && b[q] != '?')
			q++;
		if (q == p)
			return NPOS;
		if (scan_esc(b, p, q, C_URIC) != q)
			return NPOS;
		u->user = fld(p, q);
		p = q;
		while (mode != URI_ADDRSPEC && p < end && b[p] == ';') {
			q = scan_esc(b, p + 1, end, C_PARAM | C_URIC);
			if (q == NPOS || q == p + 1)
				return NPOS;
			/* a ';' inside the run starts the next parameter */
			for (p++; p < q && b[p] != ';'; p++)
				;
		}
	} else {
		/* absoluteURI: opaque to us, but still uric only */
		q = p;
		while (q < end && is(b[q], C_URIC)) {
			if (mode == URI_ADDRSPEC &&
			    (b[q] == ';' || b[q] == '?' || b[q] == ','))
				break;
			q++;
		}
		if (q == p || scan_esc(b, p, q, C_URIC) != q)
			return NPOS;
		p = q;
	}

	switch (mode) {
	case URI_RURI:
		return p < end && b[p] == ' ' ? p : NPOS;
	case URI_NAMEADDR:
		return p < end && b[p] == '>' ? p : NPOS;
	case URI_ADDRSPEC:
		if (p == end || b[p] == ';' || b[p] == ',' ||
		    is(b[p], C_WSP) || b[p] == '\r' || b[p] == '\n')
			return p;
		return NPOS;
	}
	return NPOS;
}

/*
 * One name-addr or addr-spec with its header parameters (From, To, one
 * Contact value).  Returns the offset of a ',' that ends it or @end, NPOS
 * if malformed.  @uri_hdrs allows ?headers inside <> (Contact only).
 */
static u32 parse_addr(const u8 *b, u32 p, u32 end, struct sip_uri *uri,
		      struct sip_field *tag, bool uri_hdrs, u32 *expires)
{
	bool angle = true;
	u32 q, vs, ve, ev = 0;

	p = skip_lws(b, p, end);
	if (p >= end)
		return NPOS;
	if (b[p] == '"') {
		p = scan_quoted(b, p, end);
		if (p == NPOS)
			return NPOS;
		p = skip_lws(b, p, end);
	} else if (b[p] != '<') {
		/*
		 * A token run that ends in ':' is a URI scheme, so this is an
		 * addr-spec; otherwise it is an unquoted display-name, which is
		 * tokens and LWS only (RFC 4475 baddn has a comma in one).
		 */
		q = scan(b, p, end, C_TOKEN);
		if (q < end && b[q] == ':') {
			angle = false;
		} else {
			while (q > p) {
				p = skip_lws(b, q, end);
				q = scan(b, p, end, C_TOKEN);
			}
		}
	}
	if (angle) {
		if (p >= end || b[p] != '<')
			return NPOS;
		p = parse_uri(b, p + 1, end, uri, URI_NAMEADDR, uri_hdrs);
		if (p >= NPOS_HDRS)
			return NPOS;
		p++;
	} else {
		p = parse_uri(b, p, end, uri, URI_ADDRSPEC, false);
		if (p >= NPOS_HDRS)
			return NPOS;
	}

	for (;;) {
		p = skip_lws(b, p, end);
		if (p == end || b[p] == ',')
			return p;
		if (b[p] != ';')
			return NPOS;
		p = skip_lws(b, p + 1, end);
		q = scan(b, p, end, C_TOKEN);
		if (q == p)
			return NPOS;
		vs = p;
		ve = q;
		p = skip_lws(b, q, end);
		if (EQ_CI(b + vs, ve - vs, "tag")) {
			/* tag = token, exactly once, never empty */
			if (tag->len || p >= end || b[p] != '=')
				return NPOS;
			vs = skip_lws(b, p + 1, end);
			p = scan(b, vs, end, C_TOKEN);
			if (p == vs)
				return NPOS;
			*tag = fld(vs, p);
			continue;
		}
		if (p < end && b[p] == '=') {
			p = skip_lws(b, p + 1, end);
			if (p < end && b[p] == '"') {
				p = scan_quoted(b, p, end);
			} else {
				q = p;
				p = scan(b, p, end, C_PVAL);
				if (p == q)
					return NPOS;
				/*
				 * Contact's expires = delta-seconds (20.10).
				 * A value that is not one, or beyond 2^32-1, is
				 * not reported: RFC 3261 10.3 treats it as the
				 * default, RFC 4475 3.1.2.4 (scalar02) too.
				 */
				if (expires && EQ_CI(b + vs, ve - vs, "expires") &&
				    scan_u32(b, q, p, &ev) == p)
					*expires = ev;
			}
			if (p == NPOS)
				return NPOS;
		}
	}
}

static u8 transport_id(const u8 *s, u32 n)
{
	if (EQ_CI(s, n, "udp"))
		return SIP_TRANSPORT_UDP;
	if (EQ_CI(s, n, "tcp"))
		return SIP_TRANSPORT_TCP;
	if (EQ_CI(s, n, "tls"))
		return SIP_TRANSPORT_TLS;
	if (EQ_CI(s, n, "sctp"))
		return SIP_TRANSPORT_SCTP;
	if (EQ_CI(s, n, "ws"))
		return SIP_TRANSPORT_WS;
	if (EQ_CI(s, n, "wss"))
		return SIP_TRANSPORT_WSS;
	return SIP_TRANSPORT_OTHER;
}

/* The first via-parm of a Via value: sent-protocol LWS sent-by *params. */
static bool parse_via(const u8 *b, u32 p, u32 end, struct sip_via *v)
{
	bool branch;
	u32 q;

	p = skip_lws(b, p, end);
	q = scan(b, p, end, C_TOKEN);
	if (!EQ_CI(b + p, q - p, "sip"))
		return false;
	p = skip_lws(b, q, end);
	if (p >= end || b[p] != '/')
		return false;
	p = skip_lws(b, p + 1, end);
	q = scan(b, p, end, C_TOKEN);
	if (q - p != 3 || memcmp(b + p, "2.0", 3))
		return false;
	p = skip_lws(b, q, end);
	if (p >= end || b[p] != '/')
		return false;
	p = skip_lws(b, p + 1, end);
	q = scan(b, p, end, C_TOKEN);
	if (q == p)
		return false;
	v->transport = fld(p, q);
	v->transport_id = transport_id(b + p, q - p);
	p = skip_lws(b, q, end);
	if (p == q)
		return false;

	p = scan_hostport(b, p, end, &v->host, &v->port, true);
	if (p == NPOS)
		return false;

	for (;;) {
		p = skip_lws(b, p, end);
		if (p == end || b[p] == ',')
			return true;
		if (b[p] != ';')
			return false;
		p = skip_lws(b, p + 1, end);
		q = scan(b, p, end, C_TOKEN);
		if (q == p)
			return false;
		branch = EQ_CI(b + p, q - p, "branch");
		p = skip_lws(b, q, end);
		if (p < end && b[p] == '=') {
			p = skip_lws(b, p + 1, end);
			q = p;
			if (p < end && b[p] == '"')
				p = scan_quoted(b, p, end);
			else
				p = scan(b, p, end, C_PVAL);
			if (p == NPOS || p == q)
				return false;
			if (branch) {
				if (v->branch.len || scan(b, q, p, C_TOKEN) != p)
					return false;
				v->branch = fld(q, p);
			}
		} else if (branch) {
			return false;
		}
	}
}

static bool parse_cseq(const u8 *b, u32 p, u32 end, struct sip_cseq *c)
{
	u32 q;

	p = skip_lws(b, p, end);
	q = scan_u32(b, p, end, &c->num);
	if (q == NPOS)
		return false;
	p = skip_lws(b, q, end);
	if (p == q)
		return false;
	q = scan(b, p, end, C_TOKEN);
	if (q == p)
		return false;
	c->method_tok = fld(p, q);
	c->method = sip_method_id(b + p, q - p);
	return skip_lws(b, q, end) == end;
}

/* Call-ID = word [ "@" word ] */
static bool parse_call_id(const u8 *b, u32 p, u32 end)
{
	u32 q = scan(b, p, end, C_WORD);

	if (q == p)
		return false;
	if (q < end && b[q] == '@') {
		p = q + 1;
		q = scan(b, p, end, C_WORD);
		if (q == p)
			return false;
	}
	return q == end;
}

/* Trims LWS from both ends of [*p, *end). */
static void trim(const u8 *b, u32 *p, u32 *end)
{
	u32 e = *end;

	*p = skip_lws(b, *p, e);
	while (e > *p && (is(b[e - 1], C_WSP) || b[e - 1] == '\r' ||
			  b[e - 1] == '\n'))
		e--;
	*end = e;
}

static void set_error(struct sip_msg *m, enum sip_error e, u32 off)
{
	if (!m->error) {
		m->error = e;
		m->error_off = (u16)off;
	}
}

/* Marks a header bad: records the first error, keeps parsing the rest. */
static void bad(struct sip_msg *m, u8 *state, enum sip_error e, u32 off)
{
	*state = SIP_F_BAD;
	set_error(m, e, off);
}

static bool parse_status_line(const u8 *b, u32 p, u32 end, struct sip_msg *m)
{
	u32 i;

	if (end - p < 7 || !eq_ci(b + p, "sip/2.0", 7) ||
	    (end - p > 7 && !is(b[p + 7], C_WSP))) {
		set_error(m, SIP_E_VERSION, p);
		return false;
	}
	if (end - p == 7 || b[p + 7] != ' ') {
		set_error(m, SIP_E_START_LINE, p + 7);
		return false;
	}
	p += 8;
	/* three digits, the first 1-6 (RFC 3261 7.2), then SP */
	if (end - p < 4 || b[p] < '1' || b[p] > '6' ||
	    !is(b[p + 1], C_DIGIT) || !is(b[p + 2], C_DIGIT) ||
	    b[p + 3] != ' ') {
		set_error(m, SIP_E_STATUS_CODE, p);
		return false;
	}
	m->status_code = (b[p] - '0') * 100 + (b[p + 1] - '0') * 10 +
			 (b[p + 2] - '0');
	p += 4;
	/* Reason-Phrase: any text but control characters; HTAB allowed */
	for (i = p; i < end; i++) {
		if ((b[i] < 0x20 && b[i] != '\t') || b[i] == 0x7f) {
			set_error(m, SIP_E_REASON, i);
			return false;
		}
	}
	m->reason = fld(p, end);
	return true;
}

static bool parse_request_line(const u8 *b, u32 p, u32 end,
			       struct sip_msg *m)
{
	u32 q = scan(b, p, end, C_TOKEN);

	/* Method SP: a non-token byte in the method, or no SP at all */
	if (q == end || b[q] != ' ') {
		set_error(m, q == end || is(b[q], C_WSP) ? SIP_E_START_LINE :
			  SIP_E_METHOD, q);
		return false;
	}
	if (q == p) {
		set_error(m, SIP_E_METHOD, p);
		return false;
	}
	m->is_request = true;
	m->method_tok = fld(p, q);
	m->method = sip_method_id(b + p, q - p);
	p = q + 1;
	/* exactly one SP between elements (RFC 4475 lwsstart) */
	if (p < end && is(b[p], C_WSP)) {
		set_error(m, SIP_E_START_LINE, p);
		return false;
	}
	q = parse_uri(b, p, end, &m->uri, URI_RURI, false);
	if (q >= NPOS_HDRS) {
		memset(&m->uri, 0, sizeof(m->uri));
		set_error(m, q == NPOS ? SIP_E_URI : SIP_E_URI_HEADERS, p);
		return false;
	}
	m->ruri = fld(p, q);
	p = q + 1;
	if (end - p != 7 || !eq_ci(b + p, "sip/2.0", 7)) {
		set_error(m, SIP_E_VERSION, p);
		return false;
	}
	return true;
}

/*
 * Dispatches one framed header: name [ns, ne), value [vs, ve).  A header
 * found BAD, or repeated where it may appear once, keeps no sub-fields:
 * which of two Call-IDs would be the right one is a guess.
 */
static void parse_header(const u8 *b, u32 ns, u32 ne, u32 vs, u32 ve,
			 struct sip_msg *m)
{
	bool dup;
	u32 p, e;

	switch (header_id(b + ns, ne - ns)) {
	case SIP_HDR_VIA:
		/* only the topmost value: the sender's own hop */
		if (m->via.state != SIP_F_ABSENT)
			return;
		m->via.state = SIP_F_FOUND;
		if (!parse_via(b, vs, ve, &m->via)) {
			memset(&m->via, 0, sizeof(m->via));
			bad(m, &m->via.state, SIP_E_VIA, ns);
		}
		return;
	case SIP_HDR_FROM:
		dup = m->from.state != SIP_F_ABSENT;
		if (!dup) {
			m->from.state = SIP_F_FOUND;
			if (parse_addr(b, vs, ve, &m->from.uri, &m->from.tag, NULL,
				       false) == ve)
				return;
		}
		memset(&m->from, 0, sizeof(m->from));
		bad(m, &m->from.state, dup ? SIP_E_DUPLICATE : SIP_E_FROM, ns);
		return;
	case SIP_HDR_TO:
		dup = m->to.state != SIP_F_ABSENT;
		if (!dup) {
			m->to.state = SIP_F_FOUND;
			if (parse_addr(b, vs, ve, &m->to.uri, &m->to.tag, NULL,
				       false) == ve)
				return;
		}
		memset(&m->to, 0, sizeof(m->to));
		bad(m, &m->to.state, dup ? SIP_E_DUPLICATE : SIP_E_TO, ns);
		return;
	case SIP_HDR_CALL_ID:
		trim(b, &vs, &ve);
		dup = m->call_id_state != SIP_F_ABSENT;
		if (!dup) {
			m->call_id_state = SIP_F_FOUND;
			if (parse_call_id(b, vs, ve)) {
				m->call_id = fld(vs, ve);
				return;
			}
		}
		m->call_id = fld(0, 0);
		bad(m, &m->call_id_state,
		    dup ? SIP_E_DUPLICATE : SIP_E_CALL_ID, ns);
		return;
	case SIP_HDR_CSEQ:
		dup = m->cseq.state != SIP_F_ABSENT;
		if (!dup) {
			m->cseq.state = SIP_F_FOUND;
			if (parse_cseq(b, vs, ve, &m->cseq))
				return;
		}
		memset(&m->cseq, 0, sizeof(m->cseq));
		bad(m, &m->cseq.state, dup ? SIP_E_DUPLICATE : SIP_E_CSEQ, ns);
		return;
	case SIP_HDR_CONTENT_LENGTH:
		/* RFC 4475 mcl01: two lengths make the framing ambiguous */
		trim(b, &vs, &ve);
		dup = m->content_length_state != SIP_F_ABSENT;
		if (!dup) {
			m->content_length_state = SIP_F_FOUND;
			if (scan_u32(b, vs, ve, &m->content_length) == ve)
				return;
		}
		m->content_length = 0;
		bad(m, &m->content_length_state,
		    dup ? SIP_E_DUPLICATE : SIP_E_CONTENT_LENGTH,
		    ns);
		return;
	case SIP_HDR_USER_AGENT:
		trim(b, &vs, &ve);
		dup = m->user_agent_state != SIP_F_ABSENT;
		if (!dup) {
			m->user_agent_state = SIP_F_FOUND;
			if (vs < ve) {
				m->user_agent = fld(vs, ve);
				return;
			}
		}
		m->user_agent = fld(0, 0);
		bad(m, &m->user_agent_state,
		    dup ? SIP_E_DUPLICATE : SIP_E_USER_AGENT, ns);
		return;
	case SIP_HDR_EXPIRES:
		trim(b, &vs, &ve);
		dup = m->expires_state != SIP_F_ABSENT;
		if (!dup && scan_u32(b, vs, ve, &m->expires) == ve) {
			m->expires_state = SIP_F_FOUND;
			return;
		}
		m->expires = 0;
		bad(m, &m->expires_state, dup ? SIP_E_DUPLICATE : SIP_E_EXPIRES, ns);
		return;
	case SIP_HDR_AUTHORIZATION:
	case SIP_HDR_PROXY_AUTHORIZATION:
		/* Whether, not what: digest fields are never parsed here. */
		m->credentials = true;
		return;
	case SIP_HDR_CONTACT:
		if (m->contact_state == SIP_F_ABSENT)
			m->contact_state = SIP_F_FOUND;
		trim(b, &vs, &ve);
		if (ve - vs == 1 && b[vs] == '*') {
			if (m->contact_count < 0xffff)
				m->contact_count++;
			return;
		}
		for (p = vs;; p++) {
			struct sip_uri u = {};
			struct sip_field t = {};
			u32 exp = NPOS;

			e = parse_addr(b, p, ve, &u, &t, true, &exp);
			if (e == NPOS) {
				bad(m, &m->contact_state, SIP_E_CONTACT, ns);
				return;
			}
			if (exp != NPOS && !m->contact_expires_found &&
			    m->contact_count == 0) {
				m->contact_expires = exp;
				m->contact_expires_found = true;
			}
			if (m->contact_count < 0xffff)
				m->contact_count++;
			if (e == ve)
				return;
			p = e;
		}
	default:
		return;
	}
}

enum sip_status sip_parse(const u8 *b, u32 len, struct sip_msg *m)
{
	const u8 *nl, *cr;
	u32 p = 0, q, ns, ne, vs, eol;

	memset(m, 0, sizeof(*m));
	if (len > SIP_MAX_WINDOW)
		len = SIP_MAX_WINDOW;

	/* RFC 3261 7.5: ignore CRLFs before the start line */
	while (p < len && (b[p] == '\r' || b[p] == '\n'))
		p++;
	m->start_off = (u16)p;
	nl = memchr(b + p, '\n', len - p);
	if (!nl)
		return SIP_TRUNCATED;
	eol = (u32)(nl - b);
	q = eol > p && b[eol - 1] == '\r' ? eol - 1 : eol;
	cr = memchr(b + p, '\r', q - p);
	if (cr) {
		set_error(m, SIP_E_BARE_CR, (u32)(cr - b));
		return SIP_MALFORMED;
	}
	if (q - p >= 4 && eq_ci(b + p, "sip/", 4)) {
		if (!parse_status_line(b, p, q, m))
			return SIP_MALFORMED;
	} else if (!parse_request_line(b, p, q, m)) {
		return SIP_MALFORMED;
	}

	for (p = eol + 1;;) {
		if (p >= len)
			goto truncated;
		if (b[p] == '\n') {
			p += 1;
			break;
		}
		if (b[p] == '\r') {
			if (p + 1 >= len)
				goto truncated;
			if (b[p + 1] != '\n') {
				set_error(m, SIP_E_BARE_CR, p);
				return SIP_MALFORMED;
			}
			p += 2;
			break;
		}
		if (is(b[p], C_WSP)) {
			/* every later fold is taken in with its header */
			set_error(m, SIP_E_FOLD, p);
			return SIP_MALFORMED;
		}

		/* field-name *(SP / HTAB) ":" */
		ns = p;
		ne = scan(b, p, len, C_TOKEN);
		p = ne;
		while (p < len && is(b[p], C_WSP))
			p++;
		if (p >= len)
			goto truncated;
		if (ne == ns || b[p] != ':') {
			set_error(m, SIP_E_HEADER_NAME, p);
			return SIP_MALFORMED;
		}
		vs = p + 1;

		/* the value runs to the first line end not followed by a fold */
		for (q = vs;; q = eol + 2) {
			nl = memchr(b + q, '\n', len - q);
			if (!nl)
				goto truncated;
			eol = (u32)(nl - b);
			/* the next line decides: fold, header or the end */
			if (eol + 1 >= len)
				goto truncated;
			if (!is(b[eol + 1], C_WSP))
				break;
		}
		q = eol > vs && b[eol - 1] == '\r' ? eol - 1 : eol;
		/*
		 * A CR that is not half of a CRLF ends a line for osip and
		 * others: "Subject: x<CR>User-Agent: friendly-scanner" would
		 * hide a header from us that they see.  Not SIP (RFC 3261 25.1).
		 */
		for (cr = memchr(b + vs, '\r', q - vs); cr;
		     cr = memchr(cr + 1, '\r', q - (u32)(cr + 1 - b))) {
			if (cr[1] != '\n') {
				set_error(m, SIP_E_BARE_CR, (u32)(cr - b));
				return SIP_MALFORMED;
			}
		}
		m->n_headers++;
		parse_header(b, ns, ne, vs, q, m);
		p = eol + 1;
	}
	m->hdr_end = (u16)p;

	/* RFC 4475 mismatch01/02: CSeq must name the request's method */
	if (m->is_request && m->cseq.state == SIP_F_FOUND &&
	    (m->cseq.method_tok.len != m->method_tok.len ||
	     memcmp(b + m->cseq.method_tok.off, b + m->method_tok.off,
		    m->method_tok.len)))
		set_error(m, SIP_E_CSEQ_METHOD, m->cseq.method_tok.off);

	return m->error ? SIP_MALFORMED : SIP_OK;

truncated:
	/* nothing later can repair an error already seen */
	return m->error ? SIP_MALFORMED : SIP_TRUNCATED;
}

/* sip_header_id() for a name made of token characters only. */
static enum sip_hdr header_id(const u8 *s, u32 n)
{
	switch (n) {
	case 1:
		switch (lower(s[0])) {
		case 'v': return SIP_HDR_VIA;
		case 'f': return SIP_HDR_FROM;
		case 't': return SIP_HDR_TO;
		case 'i': return SIP_HDR_CALL_ID;
		case 'm': return SIP_HDR_CONTACT;
		case 'l': return SIP_HDR_CONTENT_LENGTH;
		case 'c': return SIP_HDR_CONTENT_TYPE;
		case 'k': return SIP_HDR_SUPPORTED;
		case 's': return SIP_HDR_SUBJECT;
		case 'e': return SIP_HDR_CONTENT_ENCODING;
		case 'o': return SIP_HDR_EVENT;
		case 'u': return SIP_HDR_ALLOW_EVENTS;
		case 'r': return SIP_HDR_REFER_TO;
		case 'x': return SIP_HDR_SESSION_EXPIRES;
		case 'b': return SIP_HDR_REFERRED_BY;
		case 'a': return SIP_HDR_ACCEPT_CONTACT;
		case 'j': return SIP_HDR_REJECT_CONTACT;
		case 'd': return SIP_HDR_REQUEST_DISPOSITION;
		case 'y': return SIP_HDR_IDENTITY;
		case 'n': return SIP_HDR_IDENTITY_INFO;
		}
		break;
	case 2:
		if (eq_tok(s, "to", 2))
			return SIP_HDR_TO;
		break;
	case 3:
		if (eq_tok(s, "via", 3))
			return SIP_HDR_VIA;
		break;
	case 4:
		if (eq_tok(s, "from", 4))
			return SIP_HDR_FROM;
		if (eq_tok(s, "cseq", 4))
			return SIP_HDR_CSEQ;
		break;
	case 5:
		if (eq_tok(s, "event", 5))
			return SIP_HDR_EVENT;
		break;
	case 7:
		if (eq_tok(s, "call-id", 7))
			return SIP_HDR_CALL_ID;
		if (eq_tok(s, "contact", 7))
			return SIP_HDR_CONTACT;
		if (eq_tok(s, "expires", 7))
			return SIP_HDR_EXPIRES;
		if (eq_tok(s, "subject", 7))
			return SIP_HDR_SUBJECT;
		break;
	case 8:
		if (eq_tok(s, "refer-to", 8))
			return SIP_HDR_REFER_TO;
		if (eq_tok(s, "identity", 8))
			return SIP_HDR_IDENTITY;
		break;
	case 9:
		if (eq_tok(s, "supported", 9))
			return SIP_HDR_SUPPORTED;
		break;
	case 10:
		if (eq_tok(s, "user-agent", 10))
			return SIP_HDR_USER_AGENT;
		break;
	case 11:
		if (eq_tok(s, "referred-by", 11))
			return SIP_HDR_REFERRED_BY;
		break;
	case 12:
		if (eq_tok(s, "content-type", 12))
			return SIP_HDR_CONTENT_TYPE;
		if (eq_tok(s, "max-forwards", 12))
			return SIP_HDR_MAX_FORWARDS;
		if (eq_tok(s, "allow-events", 12))
			return SIP_HDR_ALLOW_EVENTS;
		break;
	case 13:
		if (eq_tok(s, "identity-info", 13))
			return SIP_HDR_IDENTITY_INFO;
		if (eq_tok(s, "authorization", 13))
			return SIP_HDR_AUTHORIZATION;
		break;
	case 14:
		if (eq_tok(s, "content-length", 14))
			return SIP_HDR_CONTENT_LENGTH;
		if (eq_tok(s, "accept-contact", 14))
			return SIP_HDR_ACCEPT_CONTACT;
		if (eq_tok(s, "reject-contact", 14))
			return SIP_HDR_REJECT_CONTACT;
		break;
	case 15:
		if (eq_tok(s, "session-expires", 15))
			return SIP_HDR_SESSION_EXPIRES;
		break;
	case 16:
		if (eq_tok(s, "content-encoding", 16))
			return SIP_HDR_CONTENT_ENCODING;
		break;
	case 19:
		if (eq_tok(s, "request-disposition", 19))
			return SIP_HDR_REQUEST_DISPOSITION;
		if (eq_tok(s, "proxy-authorization", 19))
			return SIP_HDR_PROXY_AUTHORIZATION;
		break;
	}
	return SIP_HDR_OTHER;
}

enum sip_hdr sip_header_id(const u8 *s, u32 n)
{
	/* header_id() folds case by OR-ing 0x20: exact on tokens only */
	if (scan(s, 0, n, C_TOKEN) != n)
		return SIP_HDR_OTHER;
	return header_id(s, n);
}

static const char *const method_names[__SIP_METHOD_MAX] = {
	[SIP_METHOD_UNKNOWN]	= "UNKNOWN",
	[SIP_METHOD_INVITE]	= "INVITE",
	[SIP_METHOD_ACK]	= "ACK",
	[SIP_METHOD_BYE]	= "BYE",
	[SIP_METHOD_CANCEL]	= "CANCEL",
	[SIP_METHOD_REGISTER]	= "REGISTER",
	[SIP_METHOD_OPTIONS]	= "OPTIONS",
	[SIP_METHOD_INFO]	= "INFO",
	[SIP_METHOD_PRACK]	= "PRACK",
	[SIP_METHOD_SUBSCRIBE]	= "SUBSCRIBE",
	[SIP_METHOD_NOTIFY]	= "NOTIFY",
	[SIP_METHOD_UPDATE]	= "UPDATE",
	[SIP_METHOD_MESSAGE]	= "MESSAGE",
	[SIP_METHOD_REFER]	= "REFER",
	[SIP_METHOD_PUBLISH]	= "PUBLISH",
};

#define IS_M(s, n, lit) ((n) == sizeof(lit) - 1 && eq_ci(s, lit, n))

enum sip_method sip_method_id(const u8 *s, u32 n)
{
	/*
	 * RFC 3261 7.1 makes methods case-sensitive, but pjsip, sofia-sip
	 * and many phones match them in any case: "invite" rings them.  A
	 * guard must see what they see, so any case maps to the method.
	 */
	switch (n) {
	case 3:
		if (IS_M(s, n, "ack"))
			return SIP_METHOD_ACK;
		if (IS_M(s, n, "bye"))
			return SIP_METHOD_BYE;
		break;
	case 4:
		if (IS_M(s, n, "info"))
			return SIP_METHOD_INFO;
		break;
	case 5:
		if (IS_M(s, n, "prack"))
			return SIP_METHOD_PRACK;
		if (IS_M(s, n, "refer"))
			return SIP_METHOD_REFER;
		break;
	case 6:
		if (IS_M(s, n, "invite"))
			return SIP_METHOD_INVITE;
		if (IS_M(s, n, "cancel"))
			return SIP_METHOD_CANCEL;
		if (IS_M(s, n, "notify"))
			return SIP_METHOD_NOTIFY;
		if (IS_M(s, n, "update"))
			return SIP_METHOD_UPDATE;
		break;
	case 7:
		if (IS_M(s, n, "options"))
			return SIP_METHOD_OPTIONS;
		if (IS_M(s, n, "message"))
			return SIP_METHOD_MESSAGE;
		if (IS_M(s, n, "publish"))
			return SIP_METHOD_PUBLISH;
		break;
	case 8:
		if (IS_M(s, n, "register"))
			return SIP_METHOD_REGISTER;
		break;
	case 9:
		if (IS_M(s, n, "subscribe"))
			return SIP_METHOD_SUBSCRIBE;
		break;
	}
	return SIP_METHOD_UNKNOWN;
}

const char *sip_method_name(enum sip_method method)
{
	return (unsigned int)method < __SIP_METHOD_MAX ?
	       method_names[method] : "UNKNOWN";
}

static const char *const error_names[__SIP_E_MAX] = {
	[SIP_E_NONE]		= "none",
	[SIP_E_START_LINE]	= "malformed start line",
	[SIP_E_METHOD]		= "method is not a token",
	[SIP_E_URI]		= "malformed Request-URI",
	[SIP_E_URI_HEADERS]	= "headers in Request-URI",
	[SIP_E_VERSION]		= "not SIP/2.0",
	[SIP_E_STATUS_CODE]	= "bad status code",
	[SIP_E_REASON]		= "control character in reason phrase",
	[SIP_E_BARE_CR]		= "CR without LF",
	[SIP_E_HEADER_NAME]	= "malformed header name",
	[SIP_E_FOLD]		= "continuation line without header",
	[SIP_E_DUPLICATE]	= "single-instance header repeated",
	[SIP_E_FROM]		= "malformed From",
	[SIP_E_TO]		= "malformed To",
	[SIP_E_CALL_ID]		= "malformed Call-ID",
	[SIP_E_CSEQ]		= "malformed CSeq",
	[SIP_E_CSEQ_METHOD]	= "CSeq method differs from request method",
	[SIP_E_VIA]		= "malformed Via",
	[SIP_E_CONTENT_LENGTH]	= "malformed Content-Length",
	[SIP_E_USER_AGENT]	= "empty User-Agent",
	[SIP_E_CONTACT]		= "malformed Contact",
	[SIP_E_EXPIRES]		= "Expires is not delta-seconds",
};

const char *sip_error_str(enum sip_error error)
{
	return (unsigned int)error < __SIP_E_MAX ? error_names[error] :
	       "unknown error";
}

bool sip_version_ends_line(const u8 *b, u32 len)
{
	u32 i;

	if (len < 7 || !eq_ci(b, "sip/2.0", 7))
		return false;
	for (i = 7; i < len && is(b[i], C_WSP); i++)
		;
	if (i == len)
		return true;
	return b[i] == '\r' || b[i] == '\n';
}

bool sip_ends_in_version_prefix(const u8 *b, u32 len)
{
	u32 k;

	if (len > SIP_VERSION_SPLIT_MAX) {
		b += len - SIP_VERSION_SPLIT_MAX;
		len = SIP_VERSION_SPLIT_MAX;
	}
	/* k bytes of "sip/2.0" after a blank at b[len - k - 1] */
	for (k = 1; k < len; k++)
		if (is(b[len - k - 1], C_WSP) && eq_ci(b + len - k, "sip/2.0", k))
			return true;
	return false;
}

bool sip_has_mandatory(const struct sip_msg *m)
{
	return m->from.state == SIP_F_FOUND && m->to.state == SIP_F_FOUND &&
	       m->call_id_state == SIP_F_FOUND &&
	       m->cseq.state == SIP_F_FOUND && m->via.state == SIP_F_FOUND;
}

bool sip_field_eq(const u8 *buf, const struct sip_field *f, const char *s,
		  u32 slen)
{
	return f->len == slen && !memcmp(buf + f->off, s, slen);
}

bool sip_field_eq_ci(const u8 *buf, const struct sip_field *f, const char *s,
		     u32 slen)
{
	u32 i;

	if (f->len != slen)
		return false;
	for (i = 0; i < slen; i++)
		if (lower(buf[f->off + i]) != lower((u8)s[i]))
			return false;
	return true;
}

/*
 * O(field * needle): fields are header values (bounded by the window) and
 * needles short signature strings, so a naive scan beats any set-up.
 */
bool sip_field_contains_ci(const u8 *buf, const struct sip_field *f,
			   const char *needle, u32 nlen)
{
	const u8 *h = buf + f->off;
	u32 i, j;

	if (nlen > f->len)
		return false;
	for (i = 0; i + nlen <= f->len; i++) {
		for (j = 0; j < nlen; j++)
			if (lower(h[i + j]) != lower((u8)needle[j]))
				break;
		if (j == nlen)
			return true;
	}
	return false;
}

/*
 * Header lines are framed as sip_parse() does; the message was SIP_OK, so
 * each check below only keeps a caller's mistake from reading out of
 * [start, hdr_end).
 */
bool sip_contact_next(const u8 *b, const struct sip_msg *m,
		      struct sip_contact_iter *it, struct sip_contact *c)
{
	u32 end = m->hdr_end, p, q, ns, ne, vs, ve, eol, e, exp;
	struct sip_field tag = {};
	const u8 *nl;

	if (!it->p) {
		if (!end || m->start_off >= end)
			return false;
		nl = memchr(b + m->start_off, '\n', end - m->start_off);
		if (!nl)
			return false;
		it->p = it->ve = it->line = (u32)(nl - b) + 1;
	}
	while (it->p >= it->ve) {
		p = it->line;
		if (p >= end || b[p] == '\r' || b[p] == '\n')
			return false;
		ns = p;
		ne = scan(b, p, end, C_TOKEN);
		for (p = ne; p < end && is(b[p], C_WSP); p++)
			;
		if (ne == ns || p >= end || b[p] != ':')
			return false;
		vs = p + 1;
		for (q = vs;; q = eol + 2) {
			nl = memchr(b + q, '\n', end - q);
			if (!nl)
				return false;
			eol = (u32)(nl - b);
			if (eol + 1 >= end || !is(b[eol + 1], C_WSP))
				break;
		}
		ve = eol > vs && b[eol - 1] == '\r' ? eol - 1 : eol;
		it->p = it->ve = it->line = eol + 1;
		if (header_id(b + ns, ne - ns) != SIP_HDR_CONTACT)
			continue;
		trim(b, &vs, &ve);
		memset(c, 0, sizeof(*c));
		if (ve - vs == 1 && b[vs] == '*') {
			c->star = true;
			return true;
		}
		it->p = vs;
		it->ve = ve;
	}
	memset(c, 0, sizeof(*c));
	exp = NPOS;
	e = parse_addr(b, it->p, it->ve, &c->uri, &tag, true, &exp);
	if (e == NPOS)
		return false;
	/* After the last value (or a stray trailing comma): the next line. */
	if (e + 1 >= it->ve)
		it->p = it->ve = it->line;
	else
		it->p = e + 1;
	if (exp != NPOS) {
		c->expires = exp;
		c->expires_found = true;
	}
	return true;
}
