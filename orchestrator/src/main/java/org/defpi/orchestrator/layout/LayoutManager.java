package org.defpi.orchestrator.layout;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.user.User;

/**
 * Where each user placed processes on the web canvas ({@code GET/PUT /user/me/layout}). Positions
 * are the caller's own, per process: an admin looking at another user's environment keeps positions
 * of their own. A caller places and reads only processes they can see (their own; an admin's, all).
 */
public final class LayoutManager {
  /** The most positions one request may keep: a canvas of ten thousand boxes is no canvas. */
  public static final int MAX_POSITIONS = 10_000;

  private final LayoutStore store;

  public LayoutManager(LayoutStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * The caller's positions of the processes of {@code ofUsers} (of every process they can see when it
   * is empty). A user sees only their own processes, so naming others gives them nothing.
   */
  public List<Position> positions(User caller, Set<String> ofUsers) throws Refusal.BadRequest {
    for (String userId : ofUsers) {
      if (!Ids.isId(userId)) {
        throw new Refusal.BadRequest("query parameter 'userId' must be a user id (24 lower-case hex digits), not '"
            + userId + "'");
      }
    }
    Set<String> users = ofUsers;
    if (!caller.isAdmin()) {
      users = ofUsers.isEmpty() || ofUsers.contains(caller.id()) ? Set.of(caller.id()) : Set.of();
      if (users.isEmpty()) {
        return List.of();
      }
    }
    return store.positions(caller.id(), users);
  }

  /**
   * Keeps where the caller placed {@code positions}' processes; their other positions stay. All or
   * nothing: a process the caller cannot see (or that is gone) is refused by name, and then nothing
   * is kept.
   */
  public void place(User caller, List<Position> positions) throws Refusal.BadRequest, Refusal.NotFound {
    if (positions.size() > MAX_POSITIONS) {
      throw new Refusal.BadRequest("at most " + MAX_POSITIONS + " positions at once, not " + positions.size());
    }
    Set<String> seen = new HashSet<>();
    for (Position p : positions) {
      if (!seen.add(p.processId())) {
        throw new Refusal.BadRequest("process " + p.processId() + " is placed twice; give one position per process");
      }
    }
    if (positions.isEmpty()) {
      return;
    }
    Optional<String> refused = store.put(caller.id(), positions, caller::canSee);
    if (refused.isPresent()) {
      throw new Refusal.NotFound("process '" + refused.get() + "' does not exist; nothing was kept");
    }
  }
}
