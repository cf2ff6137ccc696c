package org.defpi.wire.tls;

import java.net.URI;
import java.util.Optional;

/**
 * The names the TLS addition to the wire contracts uses (docs/wire-additions.md, "TLS"). WIRE.md
 * itself has no TLS: everything here is what a defpi orchestrator and a process built with the
 * defpi SDK add when both know it, and an original dEF-Pi peer never sees.
 *
 * <p>Identities travel as URI subject alternative names in certificates of the orchestrator's
 * certificate authority: a process's certificate names its process and its user, the
 * orchestrator's names the orchestrator. A peer is checked by these names, never by host name
 * (peers reach each other by process id, and a moved process keeps its id, not its address).
 */
public final class TlsNames {
  /** {@code POST /process/{id}/certificate}, authenticated with the process's {@code X-Auth-Token}. */
  public static final String CERTIFICATE_PATH = "/process/%s/certificate";
  /**
   * Sent with the trigger call ({@code PUT /process/trigger/{id}}) by a process that holds a
   * certificate: value {@code 1}. The orchestrator then speaks TLS to its management port, and
   * marks its data connections for TLS when the other end said so too. Absent: plain TCP.
   */
  public static final String TLS_HEADER = "X-Defpi-Tls";
  /** The only TLS version spoken. */
  public static final String PROTOCOL = "TLSv1.3";
  /**
   * The first byte of a TLS record carrying a handshake. A plain frame starts with its int32
   * big-endian length, whose first byte is 0x16 only for frames of 352 MiB or more, which no
   * peer sends: so one byte tells a TLS client from a plain one on the same port.
   */
  public static final int TLS_HANDSHAKE_RECORD = 0x16;

  private static final String PROCESS = "urn:defpi:process:";
  private static final String USER = "urn:defpi:user:";
  /** The orchestrator's identity (every instance of one deployment shares it). */
  public static final URI ORCHESTRATOR = URI.create("urn:defpi:orchestrator");

  private TlsNames() {}

  public static URI process(String processId) {
    return URI.create(PROCESS + requireName(processId));
  }

  public static URI user(String userId) {
    return URI.create(USER + requireName(userId));
  }

  /** The process id a URI SAN names, if it is a process identity. */
  public static Optional<String> processOf(String uri) {
    return suffix(uri, PROCESS);
  }

  /** The user id a URI SAN names, if it is a user identity. */
  public static Optional<String> userOf(String uri) {
    return suffix(uri, USER);
  }

  public static String certificatePath(String processId) {
    return CERTIFICATE_PATH.formatted(requireName(processId));
  }

  private static Optional<String> suffix(String uri, String prefix) {
    if (uri == null || !uri.startsWith(prefix) || uri.length() == prefix.length()) {
      return Optional.empty();
    }
    return Optional.of(uri.substring(prefix.length()));
  }

  // Ids are the orchestrator's (letters, digits, '-', '_', '.'), so they never need escaping in a URN.
  private static String requireName(String id) {
    if (id == null || !id.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new IllegalArgumentException("not an id for a TLS identity: '" + id + "'");
    }
    return id;
  }
}
