/**
 * The runtime behind {@link org.defpi.sdk.ServiceRunner}, in layers: frames and payload codecs
 * come from {@code org.defpi.wire}; {@link org.defpi.sdk.internal.ManagementServer} and {@link
 * org.defpi.sdk.internal.Link} are the sessions on top of them; {@link
 * org.defpi.sdk.internal.ProcessController} and {@link org.defpi.sdk.internal.DataConnection} give
 * them meaning; {@link org.defpi.sdk.internal.ProcessRuntime} wires it all. Nothing here is API.
 *
 * <h2>Start-up (WIRE.md section 4, with the TLS addition of docs/wire-additions.md)</h2>
 *
 * <pre>
 *  process                                     orchestrator
 *    | listen on :4999                             |
 *    | new EC P-256 key pair (in memory)           |
 *    |--- POST /process/{id}/certificate --------->|  X-Auth-Token, {"publicKey": …}
 *    |&lt;-- 200 certificate + CA, or 404/405 -------|  404/405: plain for life; else retried
 *    |--- PUT /process/trigger/{id} -------------->|  X-Auth-Token, X-Defpi-Tls: 1 if 200
 *    |&lt;-- 204 ------------------------------------|  (both calls share one deadline)
 *    |&lt;== TCP connect to {id}:4999 ================|  then TLS 1.3 if the process holds a
 *    |&lt;== TLS handshake (both authenticated) ======|  certificate: first byte 0x16
 *    |&lt;-- SetConfigMessage ------------------------|  init(config) on the service executor
 *    |--- ProcessStateUpdateMessage RUNNING ------>|
 *    |&lt;-- ConnectionMessage CREATE ---------------|  one per connection
 *    |--- ConnectionHandshake STARTING ----------->|
 * </pre>
 *
 * <h2>Data connection handshake (WIRE.md section 7)</h2>
 *
 * Both ends got CREATE with the same connection id and port; L (targetAddress "") listens, C
 * connects. Every arrow is one frame carrying a {@code ConnectionHandshake}; the two sides write
 * independently, so the order of crossing frames varies, but the rule below always ends with both
 * confirmed.
 *
 * <pre>
 *   C (connects)                                     L (listens on listenPort)
 *     |=========== TCP connect =====================>|
 *     |--- handshake(id, STARTING) ----------------->|  each side sends its current state:
 *     |&lt;-- handshake(id, STARTING) -----------------|  STARTING, INTERRUPTED or SUSPENDED
 *     |--- handshake(id, CONNECTED) ---------------->|  answer to L's STARTING
 *     |&lt;-- handshake(id, CONNECTED) ----------------|  answer to C's STARTING
 *     |--- handshake(id, CONNECTED) ---------------->|  C: first CONNECTED seen, answer it and
 *     |&lt;-- handshake(id, CONNECTED) ----------------|     confirm; L likewise
 *     |                                              |  later CONNECTEDs are not answered
 *     |--- buffered messages, in order ------------->|  then state CONNECTED
 *     |&lt;-- buffered messages, in order --------------|  (resumeAfterInterrupt / resumeAfterSuspend)
 *     |&lt;=========== application frames ============>|
 *     |--- PING 0x0A ------------------------------->|  every heartbeat interval (1 s) once
 *     |&lt;-- PONG 0x0B --------------------------------|  confirmed; both sides do it
 * </pre>
 *
 * The rule ({@link org.defpi.sdk.internal.Handshake}) is dEF-Pi's: answer CONNECTED to every
 * handshake with our id until the peer's CONNECTED has been seen, and to any non-CONNECTED one
 * after; a handshake with another id closes that socket. A one-byte frame is always a heartbeat.
 *
 * <h2>Losing and regaining a peer</h2>
 *
 * End of stream, an I/O error, or {@code missedHeartbeats} (2) ping intervals without any frame
 * from the peer make the connection INTERRUPTED and call {@code onInterrupt}. The connecting side
 * reconnects with back-off (50 ms doubling to 2 s, resolving the peer's name afresh each time),
 * reset only once a socket is confirmed: a listener that accepts and drops sockets, or never
 * handshakes, is retried at the back-off's pace, not in a loop. A socket not confirmed within the
 * handshake timeout (at least 5 s) is dropped. The listening side keeps its server socket, and a
 * newly accepted socket always replaces the current one. After the handshake the buffer is flushed
 * and {@code resumeAfterInterrupt} is called. SUSPEND drops the socket and stops reconnecting until
 * RESUME (possibly to a new address); TERMINATE closes everything and calls {@code terminated()}
 * last.
 *
 * <h2>TLS</h2>
 *
 * {@link org.defpi.sdk.internal.TlsIdentity} holds the certificate of the latest answer and makes
 * every TLS socket: a fresh {@code SSLContext} each (no session resumption), whose {@link
 * org.defpi.sdk.internal.CurrentKeyManager} presents the current certificate and whose {@link
 * org.defpi.sdk.internal.PeerTrustManager} accepts a peer that the JDK's PKIX trust manager accepts
 * for the latest CA and that carries the names the socket's peer must have. On a {@code tls} data
 * connection the TLS handshake comes first, the §7 handshake inside it:
 *
 * <pre>
 *   C (connects)                                     L (listens on listenPort)
 *     |=========== TCP connect =====================>|
 *     |--- ClientHello ----------------------------->|  TLS 1.3 only
 *     |&lt;-- ServerHello … certificate, CertVerify ----|  C checks: chains to the CA, names
 *     |--- certificate, CertVerify, Finished ------->|  urn:defpi:process:&lt;L&gt; and
 *     |                                              |  urn:defpi:user:&lt;own user&gt;; L likewise
 *     |--- handshake(id, STARTING) ----------------->|  then §7 exactly as above, in TLS
 * </pre>
 *
 * A socket whose handshake fails is closed and counted as an error before it becomes a {@link
 * org.defpi.sdk.internal.Link}, so it never replaces a working one. {@link
 * org.defpi.sdk.internal.CertificateRenewer} swaps the certificate at {@code renewAfter}; sockets
 * already made keep theirs.
 *
 * <h2>What may be lost</h2>
 *
 * A message {@code send} accepted while not CONNECTED waits in the buffer and is sent on the next
 * confirmed socket, in order; once the buffer holds {@code sendBufferLimit} messages the next send
 * throws, naming the bound, and nothing already buffered is dropped. A message written to a socket
 * that then dies may be lost: neither side acknowledges application frames (WIRE.md section 7
 * has no such thing). In particular, when the two ends of a connection are suspended one after the
 * other, what the second end sends before it notices the first end's socket closing may be lost.
 */
package org.defpi.sdk.internal;
