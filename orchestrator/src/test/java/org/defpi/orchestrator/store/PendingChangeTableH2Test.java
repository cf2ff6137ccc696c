package org.defpi.orchestrator.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The pending-change table on the embedded H2 file database, in a temporary directory. */
class PendingChangeTableH2Test extends PendingChangeTableContract {
  @TempDir Path dir;

  @Override
  RealStore.Settings database() {
    return RealStore.Settings.h2(dir);
  }
}
