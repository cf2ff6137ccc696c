package org.defpi.orchestrator.certificate;

import java.util.Optional;

/**
 * Where the deployment's one certificate authority is kept (implemented by the {@code store}
 * connector): every instance sharing the database must sign with the same key, or their
 * certificates would not be trusted across instances.
 */
public interface AuthorityStore {
  /** The authority, once one was made. */
  Optional<StoredAuthority> findAuthority();

  /**
   * Keeps {@code authority} unless one is kept already; false when another was there first (two
   * instances starting at once): the caller then reads back the one that was kept.
   */
  boolean insertAuthority(StoredAuthority authority);
}
