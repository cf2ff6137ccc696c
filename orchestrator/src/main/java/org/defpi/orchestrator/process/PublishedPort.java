package org.defpi.orchestrator.process;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A port of a process's container published on the host of the node it runs on ({@code mode=host}:
 * processes use endpoint mode dnsrr, which has no ingress routing mesh). Two processes cannot
 * publish one host port and protocol on the same node.
 */
public record PublishedPort(int target, int published, Protocol protocol) {
  public enum Protocol {
    TCP, UDP, SCTP;

    /** The API's name: lower case. */
    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Protocol> parse(String name) {
      for (Protocol p : values()) {
        if (p.name().equalsIgnoreCase(name)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }
  }

  public PublishedPort {
    Objects.requireNonNull(protocol, "protocol");
  }

  /** Whether the two take the same host port. */
  public boolean clashes(PublishedPort other) {
    return published == other.published && protocol == other.protocol;
  }

  /** "8080/tcp". */
  public String hostPort() {
    return published + "/" + protocol.apiName();
  }
}
