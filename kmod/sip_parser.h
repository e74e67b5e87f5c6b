/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * SIP message parser for sipguard: the part of a SIP request or response a
 * packet filter needs, read in softirq context.
 *
 * The window.  sip_parse() reads the bytes [buf, buf + len) and nothing
 * else: optional leading CRLFs (RFC 3261 7.5), the start line, and the
 * header fields up to and including the empty line that ends them.  It never
 * looks at the body: it reports Content-Length and hdr_end (the offset of
 * the first body byte), so the caller can find where this message ends and
 * the next one in the same TCP segment starts (hdr_end + content_length).
 * Windows longer than SIP_MAX_WINDOW are cut to it; a header section that
 * does not end within the window is SIP_TRUNCATED.
 *
 * Contract.  No writes to buf, no allocation, no recursion, no global
 * state; every byte is looked at a bounded number of times (linear time);
 * the stack frame is a few dozen bytes.  All results are (offset, length)
 * pairs into buf, so struct sip_msg is small and holds no pointers.
 *
 * Results are never guesses.  Each header the guard uses has a state:
 * SIP_F_ABSENT (not in the window), SIP_F_FOUND (parsed, sub-fields valid)
 * or SIP_F_BAD (present but not what RFC 3261 allows; its sub-fields are
 * not to be trusted).  Within a FOUND header a sub-field with len == 0 is
 * absent (the grammar allows no empty user, host, tag or branch).
 *
 * Status.  SIP_OK: start line and every header read up to the empty line,
 * and nothing malformed.  SIP_MALFORMED: m->error says why and m->error_off
 * where (the first problem found); a broken start line or header framing
 * stops the parse, a bad value in one header only marks that header
 * SIP_F_BAD and the parse goes on, so later headers are still reported.
 * SIP_TRUNCATED: the window ends before the empty line; what was read so far
 * is filled in, and a header whose line is cut is left unread.
 *
 * Repeated headers: Via keeps its first (topmost) value; Contact counts its
 * values; From, To, Call-ID, CSeq, Content-Length and User-Agent may appear
 * once (RFC 3261 7.3.1, 20), so a second one marks the header SIP_F_BAD with
 * SIP_E_DUPLICATE.  Header names match case-insensitively in full and compact
 * form.  Folded lines and bare LF line ends are accepted.
 *
 * Leniency follows the stacks behind the guard, not the letter of the RFC:
 * methods and "SIP/2.0" match in any case (pjsip, sofia-sip and desk phones
 * take "invite ... sip/2.0" as an INVITE), leading CRLFs are skipped.  A
 * method token the parser does not know is SIP_METHOD_UNKNOWN with its raw
 * token in method_tok; it is the policy's job (verdict.c) to treat such a
 * token as possibly an INVITE (pjsip maps any prefix of "INVITE" to INVITE).
 * The CSeq method must repeat the request's token byte for byte.
 */
#ifndef _SIPGUARD_SIP_PARSER_H
#define _SIPGUARD_SIP_PARSER_H

#include "sg_types.h"

/* Offsets are u16: a UDP datagram carries at most 65507 bytes. */
#define SIP_MAX_WINDOW	65535U

enum sip_status {
	SIP_OK = 0,
	SIP_TRUNCATED,
	SIP_MALFORMED,
};

enum sip_error {
	SIP_E_NONE = 0,
	SIP_E_START_LINE,	/* no method/status structure, extra SP */
	SIP_E_METHOD,		/* method is not a token */
	SIP_E_URI,		/* Request-URI does not parse */
	SIP_E_URI_HEADERS,	/* ?headers in a Request-URI (RFC 3261 19.1.1) */
	SIP_E_VERSION,		/* not SIP/2.0, or trailing bytes after it */
	SIP_E_STATUS_CODE,	/* not three digits 100-699 */
	SIP_E_REASON,		/* control character in the reason phrase */
	SIP_E_BARE_CR,		/* CR not followed by LF at a line end */
	SIP_E_HEADER_NAME,	/* empty/non-token header name, missing colon */
	SIP_E_FOLD,		/* continuation line with no header to continue */
	SIP_E_DUPLICATE,	/* a single-instance header appears twice */
	SIP_E_FROM,
	SIP_E_TO,
	SIP_E_CALL_ID,
	SIP_E_CSEQ,
	SIP_E_CSEQ_METHOD,	/* CSeq method differs from the request method */
	SIP_E_VIA,
	SIP_E_CONTENT_LENGTH,
	SIP_E_USER_AGENT,	/* empty User-Agent */
	SIP_E_CONTACT,		/* empty Contact, or unbalanced quote/bracket */
	SIP_E_EXPIRES,		/* Expires is not delta-seconds */
	__SIP_E_MAX,
};

enum sip_method {
	SIP_METHOD_UNKNOWN = 0,	/* a valid token we have no name for */
	SIP_METHOD_INVITE,
	SIP_METHOD_ACK,
	SIP_METHOD_BYE,
	SIP_METHOD_CANCEL,
	SIP_METHOD_REGISTER,
	SIP_METHOD_OPTIONS,
	SIP_METHOD_INFO,
	SIP_METHOD_PRACK,
	SIP_METHOD_SUBSCRIBE,
	SIP_METHOD_NOTIFY,
	SIP_METHOD_UPDATE,
	SIP_METHOD_MESSAGE,
	SIP_METHOD_REFER,
	SIP_METHOD_PUBLISH,
	__SIP_METHOD_MAX,
};

/* Header names the parser recognises (full and compact forms). */
enum sip_hdr {
	SIP_HDR_OTHER = 0,
	SIP_HDR_VIA,			/* v */
	SIP_HDR_FROM,			/* f */
	SIP_HDR_TO,			/* t */
	SIP_HDR_CALL_ID,		/* i */
	SIP_HDR_CSEQ,
	SIP_HDR_CONTACT,		/* m */
	SIP_HDR_CONTENT_LENGTH,		/* l */
	SIP_HDR_CONTENT_TYPE,		/* c */
	SIP_HDR_USER_AGENT,
	SIP_HDR_MAX_FORWARDS,
	SIP_HDR_SUPPORTED,		/* k */
	SIP_HDR_SUBJECT,		/* s */
	SIP_HDR_CONTENT_ENCODING,	/* e */
	SIP_HDR_EVENT,			/* o */
	SIP_HDR_ALLOW_EVENTS,		/* u */
	SIP_HDR_REFER_TO,		/* r */
	SIP_HDR_SESSION_EXPIRES,	/* x */
	SIP_HDR_REFERRED_BY,		/* b */
	SIP_HDR_ACCEPT_CONTACT,		/* a */
	SIP_HDR_REJECT_CONTACT,		/* j */
	SIP_HDR_REQUEST_DISPOSITION,	/* d */
	SIP_HDR_IDENTITY,		/* y */
	SIP_HDR_IDENTITY_INFO,		/* n */
	SIP_HDR_AUTHORIZATION,
	SIP_HDR_PROXY_AUTHORIZATION,
	SIP_HDR_EXPIRES,
	__SIP_HDR_MAX,
};

enum sip_fstate {
	SIP_F_ABSENT = 0,
	SIP_F_FOUND,
	SIP_F_BAD,
};

enum sip_scheme {
	SIP_SCHEME_NONE = 0,
	SIP_SCHEME_SIP,
	SIP_SCHEME_SIPS,
	SIP_SCHEME_TEL,
	SIP_SCHEME_OTHER,	/* absoluteURI: only the scheme is reported */
};

enum sip_transport {
	SIP_TRANSPORT_OTHER = 0,
	SIP_TRANSPORT_UDP,
	SIP_TRANSPORT_TCP,
	SIP_TRANSPORT_TLS,
	SIP_TRANSPORT_SCTP,
	SIP_TRANSPORT_WS,
	SIP_TRANSPORT_WSS,
};

/* A byte range of the parsed buffer; len == 0 means absent. */
struct sip_field {
	u16 off;
	u16 len;
};

struct sip_uri {
	struct sip_field scheme;
	struct sip_field user;	/* raw: %-escapes are not decoded */
	struct sip_field host;	/* an IPv6 reference keeps its brackets */
	u16 port;		/* 0 when absent */
	u8 scheme_id;		/* enum sip_scheme */
};

/* From and To. */
struct sip_addr {
	struct sip_uri uri;
	struct sip_field tag;
	u8 state;		/* enum sip_fstate */
};

/* The topmost Via value. */
struct sip_via {
	struct sip_field transport;
	struct sip_field host;
	struct sip_field branch;
	u16 port;		/* 0 when absent */
	u8 transport_id;	/* enum sip_transport */
	u8 state;
};

struct sip_cseq {
	u32 num;
	struct sip_field method_tok;
	u8 method;		/* enum sip_method */
	u8 state;
};

struct sip_msg {
	bool is_request;
	u8 method;			/* enum sip_method, requests only */
	u16 status_code;		/* responses only */
	struct sip_field method_tok;	/* requests: the raw method token */
	struct sip_field reason;	/* responses: may be empty */
	struct sip_field ruri;		/* the whole Request-URI */
	struct sip_uri uri;		/* ...and its parts */
	struct sip_addr from;
	struct sip_addr to;
	struct sip_via via;
	struct sip_cseq cseq;
	struct sip_field call_id;
	struct sip_field user_agent;	/* trimmed; may contain folds */
	u32 content_length;
	u16 contact_count;		/* values over all Contact headers */
	u16 start_off;			/* start line, after leading CRLFs */
	u16 hdr_end;			/* first byte after the empty line */
	u16 n_headers;			/* header fields read */
	u16 error_off;			/* offset of the first problem */
	u8 error;			/* enum sip_error, first problem */
	u8 call_id_state;
	u8 user_agent_state;
	u8 contact_state;
	u8 content_length_state;
	/*
	 * Registration lifetimes (RFC 3261 10.2.1.1, 10.3): the Expires
	 * header, and the expires parameter of the first Contact value.
	 */
	u8 expires_state;
	bool contact_expires_found;
	u32 expires;
	u32 contact_expires;
	/* An Authorization or Proxy-Authorization header is present. */
	bool credentials;
};

enum sip_status sip_parse(const u8 *buf, u32 len, struct sip_msg *m);

/* Maps a header name (full or compact form, any case) to its id. */
enum sip_hdr sip_header_id(const u8 *name, u32 len);

/* Maps a method token (any case, see above) to its id. */
enum sip_method sip_method_id(const u8 *tok, u32 len);

const char *sip_method_name(enum sip_method method);
const char *sip_error_str(enum sip_error error);

/*
 * Stream scanning (framing.c, TCP): a request a SIP stack acts on ends its
 * request line with "SIP/2.0" in any case.  sip_version_ends_line(): do the
 * @len bytes at @b start with "SIP/2.0", blanks, then CR or LF or the end
 * of the @len bytes (the caller passes all up to the segment's end, or
 * enough that a longer blank run is no line a stack would read either)?
 * sip_ends_in_version_prefix(): do the @len bytes at @b end in a blank and
 * the first 1-6 bytes of "SIP/2.0" (a request line cut by the segment's
 * end)?  Looks at the last SIP_VERSION_SPLIT_MAX bytes at most.
 */
#define SIP_VERSION_SPLIT_MAX	7
bool sip_version_ends_line(const u8 *b, u32 len);
bool sip_ends_in_version_prefix(const u8 *b, u32 len);

/* True when From, To, Call-ID, CSeq and Via are all SIP_F_FOUND. */
bool sip_has_mandatory(const struct sip_msg *m);

/* Byte-exact and ASCII case-insensitive comparisons of a field. */
bool sip_field_eq(const u8 *buf, const struct sip_field *f,
		  const char *s, u32 slen);
bool sip_field_eq_ci(const u8 *buf, const struct sip_field *f,
		     const char *s, u32 slen);
/* Case-insensitive substring search; an empty needle matches. */
bool sip_field_contains_ci(const u8 *buf, const struct sip_field *f,
			   const char *needle, u32 nlen);

/*
 * The Contact values of a message, one at a time (a registrar's 2xx lists
 * every binding of the address-of-record, RFC 3261 10.3 step 8).  Only for
 * a message sip_parse() found SIP_OK: it reads [start line end, hdr_end)
 * again.  Zero @it, then call while it returns true.  "*" is reported with
 * @star set and no URI.
 */
struct sip_contact_iter {
	u32 p;		/* next value, or next header line when p == ve */
	u32 ve;		/* end of the current Contact header's value */
	u32 line;	/* the header line after it */
};

struct sip_contact {
	struct sip_uri uri;
	u32 expires;		/* the expires parameter, if expires_found */
	bool expires_found;
	bool star;
};

bool sip_contact_next(const u8 *buf, const struct sip_msg *m,
		      struct sip_contact_iter *it, struct sip_contact *c);

#endif /* _SIPGUARD_SIP_PARSER_H */
