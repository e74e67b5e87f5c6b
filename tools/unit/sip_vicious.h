/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What SIPVicious 0.3.3 (Debian's sipvicious package) puts on the wire, byte
 * for byte: produced by calling its own svhelper.makeRequest() with the
 * arguments svmap.py, svwar.py and svcrack.py pass (default options, -c for
 * the compact variants, svcrack's second REGISTER answering a 401), with
 * scanner 203.0.113.5, target 198.51.100.7, and the random Call-ID, branch
 * and tag parts fixed.  Note what the scanner does:
 *  - full form sends "User-Agent: friendly-scanner"; compact form (-c) sends
 *    no User-Agent at all, so a User-Agent signature alone misses it;
 *  - svmap's REGISTER sends "Contact: None" (a Python None formatted in);
 *  - the tag is hex of "<target ip hex><port hex>\x01<random>".
 * Generator (run with PYTHONPATH=/usr/share/sipvicious):
 *	from sipvicious.libs import svhelper as h
 *	h.getrandbits = lambda n: 1234567890
 *	h.makeRequest('OPTIONS', '"sipvicious"<sip:100@1.1.1.1>', <same>,
 *		'198.51.100.7', 5060, '1234567890123456789012', '203.0.113.5',
 *		'3141592653', compact=..., localtag=h.createTag('c6336407' +
 *		'13c4'), contact='sip:None@203.0.113.5:5060', ...)
 *	and likewise for svwar (user 1000) and svcrack (user 100, password
 *	1234, realm asterisk, nonce 4d2a1b3c).
 */
#ifndef _SIPGUARD_SIP_VICIOUS_H
#define _SIPGUARD_SIP_VICIOUS_H

/* svmap_options */
static const char svmap_options[] =
	"OPTIONS sip:198.51.100.7 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-3141592653;rport\r\n"
	"Max-Forwards: 70\r\n"
	"To: \"sipvicious\"<sip:100@1.1.1.1>\r\n"
	"From: \"sipvicious\"<sip:100@1.1.1.1>;tag=6336333336343037313363340131323334353637383930\r\n"
	"User-Agent: friendly-scanner\r\n"
	"Call-ID: 1234567890123456789012\r\n"
	"Contact: sip:None@203.0.113.5:5060\r\n"
	"CSeq: 1 OPTIONS\r\n"
	"Accept: application/sdp\r\n"
	"Content-Length: 0\r\n"
	"\r\n";
/* svmap_options_compact */
static const char svmap_options_compact[] =
	"OPTIONS sip:198.51.100.7 SIP/2.0\r\n"
	"v: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-3141592653;rport\r\n"
	"t: \"sipvicious\"<sip:100@1.1.1.1>\r\n"
	"f: \"sipvicious\"<sip:100@1.1.1.1>;tag=6336333336343037313363340131323334353637383930\r\n"
	"i: 1234567890123456789012\r\n"
	"m: sip:None@203.0.113.5:5060\r\n"
	"CSeq: 1 OPTIONS\r\n"
	"Max-Forwards: 70\r\n"
	"Accept: application/sdp\r\n"
	"Content-Length: 0\r\n"
	"\r\n";
/* svmap_register */
static const char svmap_register[] =
	"REGISTER sip:198.51.100.7 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-3141592653;rport\r\n"
	"Max-Forwards: 70\r\n"
	"To: \"sipvicious\"<sip:100@1.1.1.1>\r\n"
	"From: \"sipvicious\"<sip:100@1.1.1.1>;tag=6336333336343037313363340131323334353637383930\r\n"
	"User-Agent: friendly-scanner\r\n"
	"Call-ID: 1234567890123456789012\r\n"
	"Contact: None\r\n"
	"CSeq: 1 REGISTER\r\n"
	"Accept: application/sdp\r\n"
	"Content-Length: 0\r\n"
	"\r\n";
/* svmap_invite */
static const char svmap_invite[] =
	"INVITE sip:198.51.100.7 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-3141592653;rport\r\n"
	"Max-Forwards: 70\r\n"
	"To: \"sipvicious\"<sip:100@1.1.1.1>\r\n"
	"From: \"sipvicious\"<sip:100@1.1.1.1>;tag=6336333336343037313363340131323334353637383930\r\n"
	"User-Agent: friendly-scanner\r\n"
	"Call-ID: 1234567890123456789012\r\n"
	"Contact: sip:None@203.0.113.5:5060\r\n"
	"CSeq: 1 INVITE\r\n"
	"Accept: application/sdp\r\n"
	"Content-Length: 0\r\n"
	"\r\n";
/* svwar_register */
static const char svwar_register[] =
	"REGISTER sip:198.51.100.7 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-1618033988;rport\r\n"
	"Max-Forwards: 70\r\n"
	"To: \"1000\"<sip:1000@198.51.100.7>\r\n"
	"From: \"1000\"<sip:1000@198.51.100.7>;tag=313030300131323334353637383930\r\n"
	"User-Agent: friendly-scanner\r\n"
	"Call-ID: 2718281828\r\n"
	"Contact: sip:1000@198.51.100.7\r\n"
	"CSeq: 1 REGISTER\r\n"
	"Accept: application/sdp\r\n"
	"Content-Length: 0\r\n"
	"\r\n";
/* svwar_invite */
static const char svwar_invite[] =
	"INVITE sip:1000@198.51.100.7 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-1618033988;rport\r\n"
	"Max-Forwards: 70\r\n"
	"To: \"1000\"<sip:1000@198.51.100.7>\r\n"
	"From: \"1000\"<sip:1000@198.51.100.7>;tag=313030300131323334353637383930\r\n"
	"User-Agent: friendly-scanner\r\n"
	"Call-ID: 2718281828\r\n"
	"Contact: sip:1000@198.51.100.7\r\n"
	"CSeq: 1 INVITE\r\n"
	"Accept: application/sdp\r\n"
	"Content-Length: 0\r\n"
	"\r\n";
/* svwar_register_compact */
static const char svwar_register_compact[] =
	"REGISTER sip:198.51.100.7 SIP/2.0\r\n"
	"v: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-1618033988;rport\r\n"
	"t: \"1000\"<sip:1000@198.51.100.7>\r\n"
	"f: \"1000\"<sip:1000@198.51.100.7>;tag=313030300131323334353637383930\r\n"
	"i: 2718281828\r\n"
	"m: sip:1000@198.51.100.7\r\n"
	"CSeq: 1 REGISTER\r\n"
	"Max-Forwards: 70\r\n"
	"Accept: application/sdp\r\n"
	"Content-Length: 0\r\n"
	"\r\n";
/* svcrack_register */
static const char svcrack_register[] =
	"REGISTER sip:198.51.100.7 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-1732050807;rport\r\n"
	"Max-Forwards: 70\r\n"
	"To: \"100\" <sip:100@198.51.100.7>\r\n"
	"From: \"100\" <sip:100@198.51.100.7>;tag=3206210844\r\n"
	"User-Agent: friendly-scanner\r\n"
	"Call-ID: 1414213562\r\n"
	"Contact: sip:123@1.1.1.1\r\n"
	"CSeq: 1 REGISTER\r\n"
	"Accept: application/sdp\r\n"
	"Content-Length: 0\r\n"
	"\r\n";
/* svcrack_register_auth */
static const char svcrack_register_auth[] =
	"REGISTER sip:198.51.100.7 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-1732050807;rport\r\n"
	"Max-Forwards: 70\r\n"
	"To: \"100\" <sip:100@198.51.100.7>\r\n"
	"From: \"100\" <sip:100@198.51.100.7>;tag=3130303a313233340131323334353637383930\r\n"
	"User-Agent: friendly-scanner\r\n"
	"Call-ID: 1414213562\r\n"
	"Contact: sip:123@1.1.1.1\r\n"
	"CSeq: 2 REGISTER\r\n"
	"Accept: application/sdp\r\n"
	"Content-Length: 0\r\n"
	"Authorization: Digest username=\"100\",realm=\"asterisk\",nonce=\"4d2a1b3c\",uri=\"sip:198.51.100.7\",algorithm=MD5,qop=auth,response=\"1e19c7a723ba8e6d74d3e79c6b81328b\"\r\n"
	"\r\n";
/* svcrack_register_auth_compact */
static const char svcrack_register_auth_compact[] =
	"REGISTER sip:198.51.100.7 SIP/2.0\r\n"
	"v: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-1732050807;rport\r\n"
	"t: \"100\" <sip:100@198.51.100.7>\r\n"
	"f: \"100\" <sip:100@198.51.100.7>;tag=3130303a313233340131323334353637383930\r\n"
	"i: 1414213562\r\n"
	"m: sip:123@1.1.1.1\r\n"
	"CSeq: 2 REGISTER\r\n"
	"Max-Forwards: 70\r\n"
	"Accept: application/sdp\r\n"
	"Content-Length: 0\r\n"
	"Authorization: Digest username=\"100\",realm=\"asterisk\",nonce=\"4d2a1b3c\",uri=\"sip:198.51.100.7\",algorithm=MD5,qop=auth,response=\"1e19c7a723ba8e6d74d3e79c6b81328b\"\r\n"
	"\r\n";

#endif /* _SIPGUARD_SIP_VICIOUS_H */
