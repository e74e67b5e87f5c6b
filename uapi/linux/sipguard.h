/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * sipguard: generic netlink interface between the sipguard module and
 * sipguardctl (or any other client).
 *
 * Family name SIPGUARD_GENL_NAME, version SIPGUARD_GENL_VERSION.  All state
 * is per network namespace: a request acts on the namespace of the socket
 * that sent it.  Commands that change state (SET_CONFIG, ALLOW_ADD/DEL/
 * FLUSH/REPLACE/REFRESH, BAN, UNBAN, SIG_ADD/DEL, DENY_ADD/DEL/REPLACE, a
 * GET_STATS with SIPGUARD_F_RESET) need CAP_NET_ADMIN in the user
 * namespace that owns the network namespace.  So do SOURCES_GET and
 * DENY_GET: they list third parties' addresses, as the events do.  Other reads are open to every
 * process in the namespace: the configuration and counters are not secret
 * (as `nft list ruleset` is not, to root in the same namespace).  Joining
 * the "events" multicast group needs CAP_NET_ADMIN (SIPGUARD_CMD_EVENT).
 *
 * Containment: a network namespace owned by a user namespace other than the
 * initial one (a container) cannot raise TABLE_MAX above the larger of its
 * current value and the module's table_max (its share), nor set BUDGET to 0
 * when it is not 0 (-EPERM, extack on the attribute).  Source entries of all
 * namespaces together never pass the module parameter sources_max (only the
 * initial namespace's root can change it); each table's entries are charged
 * to the memory cgroup of the task that created the table.
 *
 * Validation is strict, for every command (genlmsghdr.reserved must be 0,
 * and no NLM_F_* flag other than REQUEST, ACK, ECHO and DUMP is accepted):
 * unknown attributes, trailing bytes, wrong lengths
 * and out-of-range values are refused with an extack message saying which
 * attribute and why.  A refused request changes nothing.
 *
 * SIPGUARD_CMD_GET_STATS
 * ----------------------
 *   Request:
 *     SIPGUARD_A_FLAGS: NLA_U32, optional; SIPGUARD_F_RESET returns the
 *                       counters and zeroes them in one step.
 *   Reply:
 *     SIPGUARD_A_VERSION: NLA_NUL_STRING, the module's version
 *     SIPGUARD_A_STATS: NLA_NESTED
 *       SIPGUARD_STAT_*: NLA_U64, one per counter; ignore unknown ones.
 *   Counters are per-CPU and summed on read.  A reset snapshots the sums as
 *   the new zero: an increment racing with a reset shows up either in the
 *   reset's reply or in the next read, never nowhere.
 *
 * SIPGUARD_CMD_GET_CONFIG
 * -----------------------
 *   Request: no attributes.
 *   Reply:
 *     SIPGUARD_A_MODE: NLA_U8, enum sipguard_mode
 *     SIPGUARD_A_POLICY: NLA_U8, enum sipguard_policy
 *     SIPGUARD_A_SIP_PORTS: NLA_NESTED, guarded SIP ports (UDP and TCP)
 *       SIPGUARD_A_PORT_RANGE: NLA_NESTED, one per range, ascending
 *         SIPGUARD_RANGE_A_MIN: NLA_U16
 *         SIPGUARD_RANGE_A_MAX: NLA_U16
 *     SIPGUARD_A_TLS_PORTS: NLA_NESTED, SIP-over-TLS ports: allowlist only,
 *                           never parsed; same layout as SIP_PORTS
 *     SIPGUARD_A_IFACES: NLA_NESTED, guarded ingress interfaces by name;
 *                        empty means every interface but loopback
 *       SIPGUARD_A_IFNAME: NLA_NUL_STRING, one per interface
 *     SIPGUARD_A_ALLOW_COUNT: NLA_U32, allowlist entries
 *     Open policy (what untrusted sources may do; see "Open policy" below):
 *     SIPGUARD_A_RATE: NLA_U32, packets per second per source, 1-1000000
 *     SIPGUARD_A_BURST: NLA_U32, packets a source may send at once, 1-1000000
 *     SIPGUARD_A_BAN: NLA_U32, seconds a source over its rate (or matching
 *                     a signature) is banned, 0 (no bans) - SIPGUARD_MAX_BAN
 *     SIPGUARD_A_BUDGET: NLA_U32, packets per second for all untrusted SIP
 *                        of the namespace together (bursts of one second's
 *                        worth), 0 = no budget, at most 1000000
 *     SIPGUARD_A_PREFIX4: NLA_U8, IPv4 sources are keyed by this prefix, 8-32
 *     SIPGUARD_A_PREFIX6: NLA_U8, IPv6 sources are keyed by this prefix, 16-128
 *     SIPGUARD_A_TABLE_MAX: NLA_U32, entries the source table may hold,
 *                           SIPGUARD_MIN_SOURCES - SIPGUARD_MAX_SOURCES
 *     SIPGUARD_A_REFUSE_INVITE: NLA_U8, 0 or 1: drop INVITEs from untrusted
 *                               sources that start a dialog (no To tag)
 *     SIPGUARD_A_SOURCE_COUNT: NLA_U32, reply only: entries in the table now
 *     SIPGUARD_A_SOURCE_BYTES: NLA_U32, reply only: bytes one entry costs
 *     SIPGUARD_A_SIG_COUNT: NLA_U32, reply only: signatures listed
 *     SIPGUARD_A_LEARN: NLA_U8, 0 or 1: learn the registrars the phones
 *                       register with (see "Registrar learning" below)
 *     SIPGUARD_A_LEARN_MAX: NLA_U32, servers that may be learned, 1-256
 *                           (registrations with them: 1024 in all)
 *     SIPGUARD_A_LEARN_COUNT: NLA_U32, reply only: servers trusted now
 *     SIPGUARD_A_LEARN_PORTS: NLA_NESTED, reply only, with LEARN: the ports
 *                             guarded because phones registered from them
 *                             (see "Registrar learning")
 *       SIPGUARD_A_PHONE_PORT: NLA_NESTED, one per port
 *         SIPGUARD_PP_A_ADDR, _PORT, _L4PROTO: the address, port and
 *                             transport guarded; SIPGUARD_PP_A_PHONE,
 *                             _PHONE_PORT: the phone of the first
 *                             registration using it; _SECS: seconds left;
 *                             _CONFIRMED: a registration using it is
 *                             confirmed (else only pending)
 *     SIPGUARD_A_LEARN_PORTS_OVER: NLA_U32, reply only, with LEARN: ports of
 *                             registrations not guarded for lack of room
 *                             (SIPGUARD_LEARN_MAX_PORTS at once)
 *     SIPGUARD_A_UNGUARDED_PHONES: NLA_NESTED, reply only, without LEARN:
 *                             phones seen registering from a port that is
 *                             not guarded (the last eight): they are not
 *                             protected until their port is in SIP_PORTS
 *       SIPGUARD_A_PHONE_PORT: NLA_NESTED, one per phone: PP_A_ADDR,
 *                             _PORT, _L4PROTO, _SECS (seconds since seen),
 *                             _ANSWER: seen as the destination of a
 *                             registrar's 2xx arriving from outside (behind
 *                             NAT: the external port), else as the source
 *                             of a REGISTER leaving
 *     SIPGUARD_A_GENERATION: NLA_U64, reply only: bumped once by every
 *                            change of the configuration or the allowlist
 *                            (one per successful SET_CONFIG, ALLOW_*; not
 *                            by SIG_* or DENY_*, which have their own)
 *     SIPGUARD_A_WAN: NLA_U8, reply only: enum sipguard_wan, what the
 *                     namespace's default routes say of the WAN (used to
 *                     guard when IFACES is empty and LEARN is on)
 *     SIPGUARD_A_WAN_IFACES: NLA_NESTED, reply only, with WAN FOUND: the
 *                            WAN interfaces (SIPGUARD_A_IFNAME each)
 *     SIPGUARD_A_FAILURES: NLA_U32, failure answers (403, 404, 484, and
 *                          401/407 to a request that carried credentials)
 *                          the PBX sends an untrusted source within
 *                          FAILURE_WINDOW that ban it, 0 (off) -
 *                          SIPGUARD_MAX_FAILURES
 *     SIPGUARD_A_FAILURE_WINDOW: NLA_U32, seconds, 1 - SIPGUARD_MAX_FAILURE_WINDOW
 *     SIPGUARD_A_BAN_MAX: NLA_U32, seconds: a source banned again while its
 *                         entry lives is banned twice as long as the last
 *                         time, up to this; 0 (or not above BAN): every ban
 *                         lasts BAN.  0 - SIPGUARD_MAX_BAN
 *     SIPGUARD_A_SHARE_OWNER: NLA_U32, reply only: absent for a namespace of
 *                             the initial user namespace (the host: all of
 *                             sources_max, its reserve included); else the
 *                             user (uid in the initial user namespace) whose
 *                             share of sources_max the namespace spends
 *     SIPGUARD_A_SHARE_MAX: NLA_U32, reply only: entries the share may hold
 *     SIPGUARD_A_SHARE_USED: NLA_U32, reply only: entries it holds now (all
 *                            namespaces of the share together); at
 *                            SHARE_MAX new sources are judged together by
 *                            the fallback bucket (SRC_FALLBACK)
 *     SIPGUARD_A_BANS_LISTED: NLA_U32, reply only: bans held outside the
 *                             table (no room for an entry)
 *
 * SIPGUARD_CMD_SET_CONFIG
 * -----------------------
 *   Request: any of MODE, POLICY, SIP_PORTS, TLS_PORTS, IFACES, RATE,
 *   BURST, BAN, BUDGET, PREFIX4, PREFIX6, TABLE_MAX, REFUSE_INVITE, LEARN,
 *   LEARN_MAX, FAILURES, FAILURE_WINDOW, BAN_MAX as in the GET_CONFIG
 *   reply; what is absent stays as it is; a list attribute
 *   present replaces the whole list (an empty nest empties it).  Applied
 *   atomically: packets see either the old or the new configuration whole.
 *   Limits: SIPGUARD_MAX_PORT_RANGES ranges per list, SIPGUARD_MAX_IFACES
 *   interfaces; a port may not be both a SIP and a TLS port.  A change of
 *   TABLE_MAX, PREFIX4 or PREFIX6 starts a new, empty source table (every
 *   source's bucket and ban is forgotten).
 *
 * SIPGUARD_CMD_ALLOW_GET (dump)
 * ----------------------
 *   Request: no attributes.  Reply: one message per entry, in the order
 *   they were added:
 *     SIPGUARD_A_PREFIX: NLA_NESTED
 *       SIPGUARD_PREFIX_A_ADDR: NLA_BINARY, 4 (IPv4) or 16 (IPv6) bytes,
 *                               network order
 *       SIPGUARD_PREFIX_A_PLEN: NLA_U8
 *       SIPGUARD_PREFIX_A_PORT: NLA_U16, source port; absent = any port
 *       SIPGUARD_PREFIX_A_NAME: NLA_NUL_STRING, the DNS name the entry was
 *                               resolved from (see "Names"); absent = none
 *       SIPGUARD_PREFIX_A_LEARNED: NLA_U32, only on learned entries (after
 *                                  the static ones): seconds of trust left
 *       SIPGUARD_PREFIX_A_PROVISIONAL: NLA_FLAG, learned entry whose
 *                                  REGISTER is still awaiting its 2xx
 *   A dump interrupted by a change is flagged NLM_F_DUMP_INTR.
 *   ALLOW_DEL of a host prefix (/32, /128), with or without a port, that is
 *   not a static entry forgets a learned one (see "Registrar learning");
 *   ALLOW_FLUSH forgets learned ones too.
 *
 * Registrar learning
 * ------------------
 *   With LEARN, a REGISTER leaving through an interface that is not guarded
 *   (UDP or TCP, to a guarded SIP port) is a registration: phone address and port,
 *   To URI, server.  It is pending for 32 s; a 2xx from the address and port
 *   the REGISTER went to, with its Call-ID and CSeq, to any port of the
 *   phone, confirms it for the lifetime granted to the phone's own Contact
 *   (else Expires, else what was asked, else 3600 s; at most 86400 s) plus
 *   half of it, at most 30 s; an answer granting 0 (an unregister) ends that
 *   registration.  A server (its address: any source port) is trusted while
 *   any registration with it is pending or confirmed; ALLOW_GET lists each
 *   server once, without PORT, LEARNED being the time left of its latest
 *   registration; ALLOW_DEL of its address (PLEN 32 or 128, PORT 0 or a
 *   port its REGISTERs went to) forgets it with all its registrations.
 *   Each registration also guards, for as long as it is pending or
 *   confirmed, the ports its phone receives SIP on: the port its REGISTER
 *   left from at the phone's address, its Contact's port there, and the
 *   address and port its 2xx arrived at as this namespace's PRE_ROUTING saw
 *   it, before NAT (behind masquerade or a port forward: the WAN address
 *   and the external port).  On a port guarded only so, untrusted packets
 *   that carry no SIP (no "SIP/" in the first SIPGUARD_PARSE_WINDOW bytes;
 *   TCP: and not a bare SYN) pass as PASS_NOT_SIP, so a flow NAT gave the
 *   same external port is not cut; everything else is judged as on a
 *   configured port.  UDP and TCP registrations are learned; TLS are not.
 *   With LEARN and no guarded interfaces configured,
 *   the guarded interfaces are those the namespace's default routes leave
 *   by (the WAN), so `set mode enforce learn on` alone protects a home
 *   gateway.
 *
 * SIPGUARD_CMD_ALLOW_ADD / SIPGUARD_CMD_ALLOW_DEL
 * -----------------------------------------------
 *   Request: SIPGUARD_A_PREFIX as above (PORT 0 or absent = any port,
 *   NAME absent = an entry without a name).  An entry is identified by its
 *   prefix, port and name together.  ADD refuses an entry already present
 *   (-EEXIST) or with host bits set beyond PLEN (-EINVAL); DEL refuses one
 *   not present (-ENOENT).  At most SIPGUARD_MAX_ALLOW entries per
 *   namespace (-ENOSPC).
 *   DEL instead with SIPGUARD_A_NAME: NLA_NUL_STRING (and no PREFIX)
 *   removes every entry carrying that name in one step; -ENOENT if none.
 *
 * SIPGUARD_CMD_ALLOW_FLUSH
 * ------------------------
 *   Request: no attributes.  Removes every entry.
 *
 * SIPGUARD_CMD_ALLOW_REPLACE
 * --------------------------
 *   Request:
 *     SIPGUARD_A_PREFIX: NLA_NESTED, as above, zero or more times at the top
 *                        level (a nest could hold only 64 KiB of them): the
 *                        complete new allowlist
 *     and any of the SET_CONFIG attributes, with SET_CONFIG's meaning
 *   The old list is replaced by the new one, and the settings given are
 *   applied, in one atomic step (one new configuration, one GENERATION):
 *   packets see the old list with the old settings or the new list with
 *   the new ones, never a mix.  One bad or duplicate entry or one bad
 *   setting refuses the whole request and keeps everything as it was.
 *   This is what `sipguardctl setconf` sends.  Signatures are a separate
 *   list (SIG_ADD/DEL), not part of this step.
 *   Large lists need a large socket send buffer (sipguardctl sets it).
 *   Entries keep the names they carry.
 *
 * SIPGUARD_CMD_ALLOW_REFRESH
 * --------------------------
 *   Request:
 *     SIPGUARD_A_NAME: NLA_NUL_STRING, required
 *     SIPGUARD_A_PREFIX: NLA_NESTED, as above, one or more times at the top
 *                        level; a NAME inside, if any, must be the same
 *   The entries carrying NAME are replaced by these (which then carry
 *   NAME) in one atomic step; every other entry stays as it is, so a
 *   refresh never races with other changes.  The name's entries move to
 *   the end of the list.  SIPGUARD_A_FLAGS: NLA_U32, optional: without
 *   SIPGUARD_F_CREATE a name that no entry carries is refused (-ENOENT), so
 *   a refresh cannot bring back a name deleted meanwhile; with
 *   SIPGUARD_F_EXCL a name already present is refused (-EEXIST).
 *   `sipguardctl allow add NAME` sends CREATE | EXCL, `allow refresh`
 *   neither.  (NLM_F_CREATE/NLM_F_EXCL in the header are refused.)
 *
 * Names
 * -----
 *   An entry may carry the DNS name of a provider it was resolved from
 *   (as nftables keeps userdata on set elements).  The kernel never
 *   resolves anything; it keeps the name so that tools can refresh and
 *   delete a provider's addresses by name.  A name is 1-SIPGUARD_NAME_MAXLEN
 *   characters in lower case: labels of 1-63 letters, digits, '-' (not
 *   first or last) and '_', separated by single dots, no trailing dot, the
 *   last label not all digits.  At most SIPGUARD_MAX_NAMES distinct names
 *   per namespace (-ENOSPC).  Names cost the datapath nothing.
 *
 * Open policy
 * -----------
 *   An untrusted packet to a SIP port under the open policy: a banned
 *   source is dropped before parsing (DROP_BANNED); a source over its token
 *   bucket (RATE, BURST) is dropped (DROP_RATE) and, with BAN > 0, banned;
 *   then the namespace's BUDGET (DROP_BUDGET), which a new source needs
 *   before it is remembered at all.  Then the message is parsed
 *   (DROP_MALFORMED); a User-Agent containing a signature (any case) drops
 *   it (DROP_SIGNATURE) and bans its source; with REFUSE_INVITE an INVITE
 *   without a To tag is dropped (DROP_INVITE).  Trusted sources skip all of
 *   it.  Sources are keyed by address masked to PREFIX4/PREFIX6.
 *
 * SIPGUARD_CMD_SOURCES_GET (dump)
 * ------------------------
 *   Request: SIPGUARD_A_FLAGS: NLA_U32, optional; SIPGUARD_F_BANNED_ONLY
 *   lists only banned sources.  Reply: one message per source:
 *     SIPGUARD_A_SOURCE: NLA_NESTED
 *       SIPGUARD_SOURCE_A_ADDR: NLA_BINARY, 4 or 16 bytes, masked to PLEN
 *       SIPGUARD_SOURCE_A_PLEN: NLA_U8
 *       SIPGUARD_SOURCE_A_PACKETS: NLA_U64, packets seen
 *       SIPGUARD_SOURCE_A_DROPS: NLA_U64, of them dropped for rate or ban
 *       SIPGUARD_SOURCE_A_TOKENS: NLA_U32, packets it may send now
 *       SIPGUARD_SOURCE_A_BAN_MS: NLA_U32, ban time left, 0 = not banned
 *       SIPGUARD_SOURCE_A_IDLE_MS: NLA_U32, since its last unbanned packet
 *       SIPGUARD_SOURCE_A_FAILURES: NLA_U32, failure answers counted in
 *                                   the current failure window
 *       SIPGUARD_SOURCE_A_BANS: NLA_U32, times banned while remembered
 *   In hash order.  A dump interrupted by an unban, a new table, or a
 *   source coming or going in the hash bucket one part of it stopped in is
 *   flagged NLM_F_DUMP_INTR: a dump not flagged lists every source present
 *   throughout exactly once; sources that come and go meanwhile (packets,
 *   eviction, idle collection) may or may not be listed.
 *
 * SIPGUARD_CMD_UNBAN
 * ------------------
 *   Request: either SIPGUARD_A_ADDR: NLA_BINARY, 4 or 16 bytes (masked to
 *   the prefix length the table uses), or SIPGUARD_A_FLAGS with
 *   SIPGUARD_F_EVERY_SOURCE for all.  An unbanned source is forgotten: its
 *   next packet starts a full bucket.  One address not banned: -ENOENT.
 *   A successful unban is an UNBAN event (below).
 *
 * SIPGUARD_CMD_BAN
 * ----------------
 *   Request: SIPGUARD_A_ADDR: NLA_BINARY, 4 or 16 bytes (masked to the
 *   prefix length the table uses); SIPGUARD_A_BAN: NLA_U32, optional,
 *   seconds 1 - SIPGUARD_MAX_BAN (absent: the configured BAN, escalated like
 *   any other ban).  Needs the open policy's source table (-ENOENT before
 *   the open policy was ever set).  The source is remembered if it was not
 *   (an entry is evicted if the table is full), banned from now for that
 *   long (a longer ban it has is kept), counted in BANS and BANS_MANUAL,
 *   and announced as a BAN event with REASON BANS_MANUAL.
 *
 * SIPGUARD_CMD_SIG_GET (dump)
 * ------------------------
 *   Request: no attributes.  Reply: one message per signature, in the order
 *   they were added:
 *     SIPGUARD_A_SIGNATURE: NLA_NUL_STRING
 *     SIPGUARD_A_SIG_HITS: NLA_U64, messages it dropped since it was added
 *
 * SIPGUARD_CMD_SIG_ADD / SIPGUARD_CMD_SIG_DEL
 * -------------------------------------------
 *   Request: SIPGUARD_A_SIGNATURE: NLA_NUL_STRING, 1-SIPGUARD_SIG_MAXLEN
 *   printable ASCII characters, compared case-insensitively.  ADD refuses a
 *   duplicate (-EEXIST) and a full list (-ENOSPC, SIPGUARD_MAX_SIGNATURES);
 *   DEL one not listed (-ENOENT).
 *
 * Denylist
 * --------
 *   Prefixes whose packets to a guarded port are dropped before anything
 *   is parsed (DROP_DENY), under the open policy; under strict they are
 *   only counted (strict drops untrusted sources anyway).  Allowlisted
 *   sources and learned registrars win: their packets pass as before and
 *   the entry's origin counts IGNORED_TRUSTED or IGNORED_LEARNED.  Each
 *   entry belongs to an origin (a name of 1-SIPGUARD_ORIGIN_MAXLEN
 *   characters a-z, 0-9, '-', '_', '.'; SIPGUARD_DENY_ORIGIN_DEFAULT when
 *   not given), at most SIPGUARD_DENY_ORIGINS origins per namespace
 *   (-ENOSPC); an origin with no entries left is forgotten with its
 *   counters.  An entry may expire: it stops matching at once when its
 *   time is up and is removed soon after.  Entries of all origins together
 *   never pass the module parameter deny_max (-ENOSPC).
 *
 * SIPGUARD_CMD_DENY_GET (dump)
 * ---------------------
 *   Request: no attributes.  Needs CAP_NET_ADMIN (third parties'
 *   addresses).  Reply: first one message per origin:
 *     SIPGUARD_A_DENY_ORIGIN: NLA_NESTED
 *       SIPGUARD_DENY_A_ORIGIN: NLA_NUL_STRING, its name
 *       SIPGUARD_DENY_A_COUNT: NLA_U32, entries
 *       SIPGUARD_DENY_A_HITS: NLA_U64, packets its entries matched
 *       SIPGUARD_DENY_A_IGNORED_TRUSTED: NLA_U64, of other packets matched,
 *                          passed because their source is allowlisted
 *       SIPGUARD_DENY_A_IGNORED_LEARNED: NLA_U64, ... a learned registrar
 *   then one message per entry, by origin, in address order:
 *     SIPGUARD_A_DENY: NLA_NESTED
 *       SIPGUARD_DENY_A_ADDR: NLA_BINARY, 4 or 16 bytes, network order
 *       SIPGUARD_DENY_A_PLEN: NLA_U8
 *       SIPGUARD_DENY_A_ORIGIN: NLA_NUL_STRING
 *       SIPGUARD_DENY_A_TIMEOUT: NLA_U32, seconds left; absent: permanent
 *   A dump interrupted by a change is flagged NLM_F_DUMP_INTR.
 *
 * SIPGUARD_CMD_DENY_ADD / SIPGUARD_CMD_DENY_DEL
 * ---------------------------------------------
 *   Request:
 *     SIPGUARD_A_ORIGIN: NLA_NUL_STRING, optional (ADD: the default origin;
 *                        DEL: every origin)
 *     SIPGUARD_A_DENY: NLA_NESTED, one or more at the top level:
 *       SIPGUARD_DENY_A_ADDR, SIPGUARD_DENY_A_PLEN: required
 *       SIPGUARD_DENY_A_TIMEOUT: NLA_U32, ADD only, 1-SIPGUARD_MAX_DENY_TIMEOUT
 *                        seconds; absent: permanent
 *   ADD of a prefix the origin holds keeps the later of the two expiries
 *   (permanent beats any timeout): a feed renewing an entry only extends
 *   it; DEL and ADD shorten it.  DEL of a
 *   prefix no origin named holds is refused (-ENOENT).  All or nothing.
 *
 * SIPGUARD_CMD_DENY_REPLACE
 * -------------------------
 *   Request: SIPGUARD_A_ORIGIN: required; SIPGUARD_A_DENY: zero or more,
 *   as for ADD.  The origin's entries become exactly these, in one atomic
 *   step; other origins are untouched.  Zero entries forget the origin.
 *
 * SIPGUARD_CMD_EVENT (multicast group SIPGUARD_MCGRP_EVENTS)
 * ------------------
 *   Never a request: the kernel sends one message per event to the group
 *   "events", only in the network namespace where it happened.  Joining
 *   the group needs CAP_NET_ADMIN in the user namespace that owns the
 *   network namespace (GENL_MCAST_CAP_NET_ADMIN; -EPERM otherwise), as
 *   `nft monitor` does: events carry the addresses and User-Agents of
 *   third parties, which the counters do not.
 *     SIPGUARD_A_EVENT: NLA_U8, enum sipguard_event
 *     SIPGUARD_A_SEQ: NLA_U64, per namespace, one more for every event that
 *                     happened while anyone listened, sent or not: a gap
 *                     is events this listener missed (suppressed by the
 *                     rate limit, or lost to a full socket: ENOBUFS)
 *     SIPGUARD_A_SUPPRESSED: NLA_U64, per namespace, events the rate limit
 *                     (or a failed allocation) kept back so far: the
 *                     difference to the last one received says how many
 *                     of a gap were kept back; the rest were lost on the
 *                     socket
 *   BAN: a source was banned (open policy).
 *     SIPGUARD_A_ADDR: NLA_BINARY, 4 or 16 bytes, masked to PLEN
 *     SIPGUARD_A_PLEN: NLA_U8, the prefix length sources are keyed by
 *     SIPGUARD_A_REASON: NLA_U16, the drop counter (enum sipguard_stat)
 *                        that banned it: DROP_RATE, DROP_SIGNATURE,
 *                        DROP_FAILURES or BANS_MANUAL
 *     SIPGUARD_A_BAN: NLA_U32, seconds
 *     SIPGUARD_A_FAILURES: NLA_U32, with DROP_FAILURES: the failure answers
 *                          counted in the window
 *     SIPGUARD_A_FLAGS: NLA_U32, present if the banned prefix holds a
 *                       trusted address: SIPGUARD_F_ALLOWLISTED (an
 *                       allowlist entry, of any source port, shares an
 *                       address with it), SIPGUARD_F_REGISTRAR (a learned
 *                       or provisional registrar is inside it).  Such a
 *                       ban is not one to pass on to other hosts.
 *   CONFIG: every successful request that changed the configuration, the
 *   allowlist, the signatures or the denylist (as nft monitor names every
 *   change): SET_CONFIG, ALLOW_ADD/DEL (by prefix or by name)/FLUSH/
 *   REPLACE/REFRESH, SIG_ADD/DEL, DENY_ADD/DEL/REPLACE.  BAN and UNBAN
 *   have events of their own (below).
 *     SIPGUARD_A_GENERATION: NLA_U64, the configuration's generation now
 *     SIPGUARD_A_REQUEST: NLA_U8, the command (enum sipguard_cmd) that made it
 *     SIPGUARD_A_PID: NLA_U32, process id (initial PID namespace) and
 *     SIPGUARD_A_COMM: NLA_NUL_STRING, command name of the requester
 *   PORT_GUARDED, PORT_UNGUARDED: a port a phone receives SIP on started
 *   or stopped being guarded (see "Registrar learning"); a lapse is told
 *   when the next registration change is published.
 *     SIPGUARD_A_LEARN_PORT: NLA_NESTED, as an item of LEARN_PORTS
 *   UNBAN: a successful UNBAN request.
 *     SIPGUARD_A_ADDR, SIPGUARD_A_PLEN: the source (masked), or
 *     SIPGUARD_A_FLAGS: NLA_U32, SIPGUARD_F_EVERY_SOURCE for all
 *     SIPGUARD_A_UNBANNED: NLA_U32, sources unbanned
 *     SIPGUARD_A_PID: NLA_U32, process id (initial PID namespace) and
 *     SIPGUARD_A_COMM: NLA_NUL_STRING, command name of the requester
 *   DROP: a packet to a guarded port was dropped (in monitor mode: would
 *   have been).  Sampled by the rate limit, not one per drop.
 *     SIPGUARD_A_ADDR: NLA_BINARY, 4 or 16 bytes, the source address
 *     SIPGUARD_A_L4PROTO: NLA_U8, IPPROTO_UDP or IPPROTO_TCP, and
 *     SIPGUARD_A_PORT: NLA_U16, the source port; both absent when the
 *                      transport is unknown (BAD_L4)
 *     SIPGUARD_A_REASON: NLA_U16, the decision counter (enum sipguard_stat)
 *     SIPGUARD_A_MODE: NLA_U8, the mode (MONITOR: it was not dropped)
 *     SIPGUARD_A_METHOD: NLA_NUL_STRING, the request's method, and
 *     SIPGUARD_A_USER_AGENT: NLA_NUL_STRING, its User-Agent, each only if
 *                      the payload parses as SIP and has one; at most 31
 *                      and 95 characters, bytes outside printable ASCII
 *                      replaced (whitespace by ' ', others by '?')
 *   Expired bans and sources forgotten with a new table are not events.
 *   The rate limit: a token bucket per namespace (module parameters
 *   event_rate, per second, and event_burst), shared by all event types.
 *   Nothing is done for events while nobody in any namespace listens.
 */

#ifndef _UAPI_LINUX_SIPGUARD_H
#define _UAPI_LINUX_SIPGUARD_H

/*
 * The family's name and version, its limits, commands, attributes and
 * enums are generated from tools/ynl/sipguard.yaml (`make ynl-gen`).
 */
#include <linux/sipguard_nl.h>

#define SIPGUARD_DENY_ORIGIN_DEFAULT	"manual"

/*
 * What a new namespace starts with (the open policy's and learning's
 * settings; mode, policy, ports and table-max come from module parameters).
 * sipguardctl's setconf gives a setting a file leaves out this value.
 */
#define SIPGUARD_DEFAULT_RATE		10	/* packets/s per source */
#define SIPGUARD_DEFAULT_BURST		100	/* messages a source may send at once */
#define SIPGUARD_DEFAULT_BAN		600	/* seconds */
#define SIPGUARD_DEFAULT_BUDGET		500	/* packets/s for all untrusted SIP */
#define SIPGUARD_DEFAULT_TABLE_MAX	16384
#define SIPGUARD_DEFAULT_PREFIX4	32
#define SIPGUARD_DEFAULT_PREFIX6	64
#define SIPGUARD_DEFAULT_LEARN_MAX	16
#define SIPGUARD_DEFAULT_FAILURES	4	/* failure answers that ban a source */
#define SIPGUARD_DEFAULT_FAILURE_WINDOW	60	/* seconds they are counted over */
#define SIPGUARD_DEFAULT_BAN_MAX	0	/* seconds; 0: bans do not grow */

/*
 * enum sipguard_mode:
 * off: no packet is inspected or counted.  monitor: every decision is made
 * and counted, nothing is dropped (would-be drops count as WOULD_DROP).
 * enforce: drops are real.
 */

/*
 * enum sipguard_policy:
 * What happens to SIP from sources not on the allowlist.  strict: dropped
 * unparsed (TCP: every segment, so no connection forms).  open: passed if
 * it parses as SIP (rate limits and signatures come on top of this).
 */

/*
 * enum sipguard_wan:
 * The WAN as the default routes show it (SIPGUARD_A_WAN).  UNKNOWN and NONE
 * guard every interface but loopback: what cannot be told is guarded.
 */

/*
 * enum sipguard_stat:
 * Counters, nested in SIPGUARD_A_STATS.  Numbering is ABI: new counters are
 * only ever appended.  Every packet to a guarded port counts once in
 * SIP_UDP or SIP_TCP, once in SIP_IPV4 or SIP_IPV6, and once in exactly one
 * of the decision counters UNGUARDED_IFACE .. DROP_MALFORMED; a drop then
 * counts once in DROPPED (enforce) or WOULD_DROP (monitor).  METHOD_* count
 * the messages that were parsed (untrusted, open policy), RESPONSE the
 * parsed responses.  KEEPALIVE and TCP_CONTINUATION are decision counters
 * of the open policy (passed); BAD_L4 is a decision counter for packets
 * whose transport header cannot be read (dropped).  An IPv6 packet whose
 * extension header chain cannot be walked has no known transport and no
 * port: it counts in SIP_IPV6 and BAD_L4 only.  DROP_BANNED ..
 * DROP_INVITE are decision counters of the open policy (dropped); BANS,
 * SRC_EVICTED and SRC_NOROOM count events, not packets; EVENTS_SENT and
 * EVENTS_SUPPRESSED count the messages of the events group.
 * XDP_DROP_UNTRUSTED, XDP_DROP_TLS and XDP_DROP_BANNED are decision
 * counters (dropped) of the XDP tier: the same decisions taken at the
 * driver, before an skb exists; such a packet counts in SIP_*, one
 * XDP_DROP_* and DROPPED, and never reaches the hook.  SRC_FALLBACK counts
 * messages of untrusted sources the open policy could not remember (the
 * namespace's share of sources_max, or its table, has no room): they are
 * charged together to one bucket of the per-source rate and burst, and
 * DROP_FALLBACK (a decision, dropped) counts those it had no token for.
 * NOMEM counts allocations the hook could not make (an event): a source
 * not remembered (also in SRC_NOROOM, judged by the fallback bucket), a
 * registration not learned or confirmed (its server stays untrusted).
 */

#endif /* _UAPI_LINUX_SIPGUARD_H */
