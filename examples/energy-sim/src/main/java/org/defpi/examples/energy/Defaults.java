package org.defpi.examples.energy;

/**
 * The demo's default day, shared by the services' service.json defaults (kept equal by a test)
 * and the in-process simulation: midday PV above the export limit, the evening's car and cooking
 * above the import limit, both within what the battery can absorb.
 */
public final class Defaults {
  public static final String SIMULATION_START = "2026-06-21T00:00:00Z";
  public static final double SPEED = 720;
  public static final long SEED = 42;
  public static final int STEP_SECONDS = 60;

  public static final double PV_PEAK_WATTS = 8000;
  public static final double LATITUDE = 52.0;
  public static final double LONGITUDE = 0.0;

  public static final double BASE_LOAD_WATTS = 300;
  public static final double EV_WATTS = 7400;
  public static final double EV_START_HOUR = 18.0;
  public static final double EV_HOURS = 2.5;

  public static final double CAPACITY_WATT_HOURS = 13_500;
  public static final double MAX_CHARGE_WATTS = 5000;
  public static final double MAX_DISCHARGE_WATTS = 5000;
  public static final double EFFICIENCY = 0.95;
  public static final double MIN_FILL_LEVEL = 0.1;
  public static final double MAX_FILL_LEVEL = 0.95;
  public static final double INITIAL_FILL_LEVEL = 0.25;

  public static final double IMPORT_LIMIT_WATTS = 5000;
  public static final double EXPORT_LIMIT_WATTS = 4000;

  /** The forecasts' shape: 24 h of quarter hours. */
  public static final int FORECAST_ELEMENTS = 96;

  private Defaults() {}

  public static PvSystem pv(long seed) {
    return new PvSystem(PV_PEAK_WATTS, LATITUDE, LONGITUDE, seed);
  }

  public static HouseholdLoad load(long seed) {
    return new HouseholdLoad(BASE_LOAD_WATTS, EV_WATTS, EV_START_HOUR, EV_HOURS, seed);
  }

  public static Battery battery() {
    return new Battery(CAPACITY_WATT_HOURS, MAX_CHARGE_WATTS, MAX_DISCHARGE_WATTS, EFFICIENCY, EFFICIENCY,
        MIN_FILL_LEVEL, MAX_FILL_LEVEL);
  }

  /** What a PV roof forecasts from {@code startMillis}: its clear-sky production (negative watts). */
  public static Forecast pvForecast(PvSystem pv, long startMillis) {
    return Forecast.sample(startMillis, Forecast.QUARTER_HOUR, FORECAST_ELEMENTS, t -> 0 - pv.clearSkyWatts(t));
  }

  /** What a household forecasts from {@code startMillis}: its planned profile. */
  public static Forecast loadForecast(HouseholdLoad load, long startMillis) {
    return Forecast.sample(startMillis, Forecast.QUARTER_HOUR, FORECAST_ELEMENTS, load::plannedWatts);
  }
}
