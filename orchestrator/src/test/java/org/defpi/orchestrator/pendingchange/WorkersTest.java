package org.defpi.orchestrator.pendingchange;

import java.nio.file.Path;
import org.defpi.orchestrator.store.RealStore;
import org.junit.jupiter.api.io.TempDir;

/** The workers over the embedded H2 file database, in a temporary directory (two opens share it). */
class WorkersTest extends WorkersContract {
  @TempDir Path dir;

  @Override
  RealStore.Settings database() {
    return RealStore.Settings.h2(dir);
  }
}
