package org.defpi.wire.hash;

import java.util.Objects;

/** The pair of hashes that identifies one version of an interface as seen from one end. */
public record InterfaceVersionHashes(String sendsHash, String receivesHash) {
  public InterfaceVersionHashes {
    Objects.requireNonNull(sendsHash, "sendsHash");
    Objects.requireNonNull(receivesHash, "receivesHash");
  }

  /** True when this end and {@code other} can be connected: what one sends the other receives. */
  public boolean isCompatibleWith(InterfaceVersionHashes other) {
    return sendsHash.equals(other.receivesHash) && receivesHash.equals(other.sendsHash);
  }
}
