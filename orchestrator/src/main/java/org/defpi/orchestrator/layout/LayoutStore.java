package org.defpi.orchestrator.layout;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where the viewers' positions of processes are kept (implemented by the {@code store} connector).
 * A position goes with its process and with its viewer.
 */
public interface LayoutStore {
  /**
   * The viewer's positions of the processes of the users in {@code ofUsers}, or of any process when
   * it is empty; by process id.
   */
  List<Position> positions(String viewerId, Set<String> ofUsers);

  /**
   * Keeps the viewer's {@code positions} (one per process), replacing theirs of the same processes,
   * all or nothing in one transaction: only when every process exists and {@code visible} accepts
   * its user. Else nothing is kept and the answer is the first process (in the given order) that
   * does not. The processes' rows stay locked until the positions are written, so none can be
   * removed in between.
   */
  Optional<String> put(String viewerId, List<Position> positions, Predicate<String> visible);
}
