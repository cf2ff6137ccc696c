package org.defpi.wire.label;

import java.util.Objects;
import org.defpi.wire.hash.InterfaceVersionHashes;

/** One interface version as it appears in the {@code org.flexiblepower.interfaces} label. */
public record InterfaceVersionLabel(String versionName, String receivesHash, String sendsHash) {
  public InterfaceVersionLabel {
    Objects.requireNonNull(versionName, "versionName");
    Objects.requireNonNull(receivesHash, "receivesHash");
    Objects.requireNonNull(sendsHash, "sendsHash");
  }

  public InterfaceVersionHashes hashes() {
    return new InterfaceVersionHashes(sendsHash, receivesHash);
  }
}
