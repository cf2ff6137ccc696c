package org.defpi.examples.energydashboard.history;

import java.util.Collection;

/**
 * What a series is to the dashboard: the S2 role names of {@code s2-observation.proto}, plus
 * {@link #UNKNOWN} for a sender whose details have not arrived.
 */
public enum Role {
  GRID_CONNECTION,
  ENERGY_STORAGE,
  ENERGY_PRODUCER,
  ENERGY_CONSUMER,
  UNKNOWN;

  /**
   * The role a resource is plotted as when it declares several: a grid meter is the grid even if
   * it also produces, a battery is storage even if it also consumes and produces.
   */
  public static Role primary(Collection<Role> roles) {
    for (Role role : values()) {
      if (roles.contains(role)) {
        return role;
      }
    }
    return UNKNOWN;
  }
}
