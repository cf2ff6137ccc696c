package org.defpi.orchestrator.user;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where users, their password hashes and their API tokens live (implemented by the {@code store}
 * connector). Tokens are kept as hashes only: a stolen database does not log anyone in.
 */
public interface UserStore {
  /** A user with the hash of their password. */
  record Account(User user, String passwordHash) {}

  /** A login's token, by the SHA-256 of the token. */
  record TokenRecord(String tokenHash, String userId, Instant createdAt, Instant expiresAt) {}

  /** False when the name is taken. */
  boolean insertUser(User user, String passwordHash);

  /**
   * Inserts the first admin when there are no users yet, in one transaction; false when there are.
   * Processes and private nodes owned by the single admin of versions before users existed (owner
   * {@code 'admin'}) are given to this admin, so they stay visible.
   */
  boolean insertFirstAdmin(User admin, String passwordHash);

  Optional<User> findUser(String id);

  Optional<Account> findAccount(String name);

  /** All users, oldest first. */
  List<User> listUsers();

  int countUsers();

  /** Writes role and email; false when there is no such user. */
  boolean updateUser(User user);

  /**
   * Changes role only if at least one other admin remains; the answer says what happened. Checked
   * and written in one transaction so two admins demoting each other cannot leave none.
   */
  enum RoleChange { CHANGED, NOT_FOUND, LAST_ADMIN }

  RoleChange updateRole(String id, Role role);

  /** Sets the hash and deletes the user's tokens; false when there is no such user. */
  boolean updatePasswordHash(String id, String passwordHash);

  /** What deleting a user did; IN_USE while they own processes or private nodes. */
  enum UserDeletion { DELETED, NOT_FOUND, IN_USE, LAST_ADMIN }

  UserDeletion deleteUser(String id);

  void insertToken(TokenRecord token);

  /** The token's user if the token exists and has not expired at {@code now}. */
  Optional<User> userOfToken(String tokenHash, Instant now);

  /** False when there was no such token. */
  boolean deleteToken(String tokenHash);

  int deleteExpiredTokens(Instant now);
}
