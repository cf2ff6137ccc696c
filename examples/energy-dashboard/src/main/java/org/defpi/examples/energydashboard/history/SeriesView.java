package org.defpi.examples.energydashboard.history;

import java.util.List;

/**
 * One resource's series as {@code /series.json} shows it (and as the saved state keeps it).
 *
 * @param key the process id of the sender (the resource's {@code resourceId} unless it says otherwise)
 * @param nominalPowerWatts null when the details did not say
 * @param live whether a connection from it is up now; a series whose connections went keeps its
 *     history and is shown as stale
 * @param samples power, oldest first, each {@code [simulatedMillis, watts]}; positive is consumption
 * @param fillLevels for storage, oldest first, each {@code [simulatedMillis, fillLevel, energyWattHours]}
 * @param capacityWattHours the last capacity a storage reported, else null
 * @param forecast the last forecast, else null
 */
public record SeriesView(
    String key,
    String resourceId,
    String name,
    Role role,
    List<Role> roles,
    Double nominalPowerWatts,
    boolean live,
    List<Points.Power> samples,
    List<Points.Fill> fillLevels,
    Double capacityWattHours,
    Points.Forecast forecast) {
  public SeriesView {
    roles = List.copyOf(roles);
    samples = List.copyOf(samples);
    fillLevels = List.copyOf(fillLevels);
  }
}
