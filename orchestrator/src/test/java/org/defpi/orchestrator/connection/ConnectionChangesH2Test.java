package org.defpi.orchestrator.connection;

import java.nio.file.Path;
import org.defpi.orchestrator.store.RealStore;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConnectionChangesContract} on the embedded H2 file database, in a temporary directory. */
class ConnectionChangesH2Test extends ConnectionChangesContract {
  @TempDir Path dir;

  @Override
  RealStore.Settings database() {
    return RealStore.Settings.h2(dir);
  }
}
