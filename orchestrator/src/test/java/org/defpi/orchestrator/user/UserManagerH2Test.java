package org.defpi.orchestrator.user;

import java.nio.file.Path;
import org.defpi.orchestrator.store.RealStore;
import org.junit.jupiter.api.io.TempDir;

/** The user manager over the embedded H2 file database (the default), in a temporary directory. */
class UserManagerH2Test extends UserManagerContract {
  @TempDir Path dataDir;

  @Override
  RealStore.Settings database() {
    return RealStore.Settings.h2(dataDir);
  }
}
