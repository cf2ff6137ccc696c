package org.defpi.examples.energymanager;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.defpi.examples.batteryresourcemanager.BatteryResourceManagerMain;
import org.defpi.examples.batteryresourcemanager.BatteryResourceManagerService;
import org.defpi.examples.energy.OperationModes;
import org.defpi.examples.energymanager.observations.v1.ObservationsV1ConnectionHandler;
import org.defpi.examples.energymanager.observations.v1.proto.ObservationsV1Proto.PowerMeasurement;
import org.defpi.examples.gridmeter.GridMeterMain;
import org.defpi.examples.householdload.HouseholdLoadMain;
import org.defpi.examples.pvresourcemanager.PVResourceManagerMain;
import org.defpi.sdk.ConnectionHandler;
import org.defpi.sdk.InterfaceVersion;
import org.defpi.sdk.Service;
import org.defpi.sdk.ServiceDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The five services as the demo wires them, each a real process runtime in this JVM, talking over
 * loopback through the SDK: proto observations into the grid meter and the energy manager, and
 * XML (JAXB, the XSD interface) between the battery and the energy manager. A recorder listens to
 * the grid meter as a sixth process. The simulation starts at midsummer noon, when the roof
 * produces about 6.4 kW more than the house uses, 2.4 kW over the export limit.
 */
class EnergySystemTest {
  private static final double EXPORT_LIMIT = 4000;

  private final LoopbackOrchestrator orchestrator = new LoopbackOrchestrator();
  private final List<PowerMeasurement> grid = new CopyOnWriteArrayList<>();

  EnergySystemTest() throws Exception {}

  @AfterEach
  void stop() {
    orchestrator.close();
  }

  @Test
  void theEnergyManagerSteersTheBatteryOverXmlAndKeepsTheGridWithinTheExportLimit() throws Exception {
    Map<String, String> simulation = Map.of("simulationStart", "2026-06-21T12:00:00Z",
        "wallClockStart", Instant.now().plusSeconds(3).toString(), "speed", "720", "seed", "42", "stepSeconds", "60");
    var pv = orchestrator.start("pv", PVResourceManagerMain.definition(), simulation);
    var load = orchestrator.start("household", HouseholdLoadMain.definition(), simulation);
    var battery = orchestrator.start("battery", BatteryResourceManagerMain.definition(), simulation);
    var meter = orchestrator.start("grid", GridMeterMain.definition(), Map.of("speed", "720", "stepSeconds", "60"));
    var manager = orchestrator.start("cem", EnergyManagerMain.definition(), Map.of("exportLimitWatts", "4000"));
    var recorder = orchestrator.start("recorder", recorder(manager.interfaceVersion("energy-manager/observations")),
        Map.of());

    orchestrator.connect(pv, "pv-resource-manager/observations", meter, "grid-meter/resource-observations");
    orchestrator.connect(load, "household-load/observations", meter, "grid-meter/resource-observations");
    orchestrator.connect(battery, "battery-resource-manager/observations", meter, "grid-meter/resource-observations");
    orchestrator.connect(meter, "grid-meter/observations", manager, "energy-manager/observations");
    orchestrator.connect(pv, "pv-resource-manager/observations", manager, "energy-manager/observations");
    orchestrator.connect(load, "household-load/observations", manager, "energy-manager/observations");
    orchestrator.connect(battery, "battery-resource-manager/frbc-control", manager, "energy-manager/frbc-control");
    orchestrator.connect(meter, "grid-meter/observations", recorder, "recorder/observations");

    // 25 simulated minutes: about 2 s after the start.
    await().atMost(20, SECONDS).until(() -> grid.size() >= 25);

    EnergyManagerService cem = (EnergyManagerService) manager.definition().service();
    BatteryResourceManagerService storage = (BatteryResourceManagerService) battery.definition().service();
    // Both ends of the XSD interface got what the other sent, as XML.
    assertThat(cem.steeredBattery()).hasValueSatisfying(b -> {
      assertThat(b.capacityWattHours()).isEqualTo(13_500);
      assertThat(b.maxChargeWatts()).isEqualTo(5000);
    });
    assertThat(cem.instructionsSent()).isGreaterThan(20);
    assertThat(storage.instruction()).hasValueSatisfying(
        i -> assertThat(i.choice().modeId()).isEqualTo(OperationModes.CHARGE));
    assertThat(storage.lastReport().watts()).isGreaterThan(1000);

    // The grid meter reports each step once, in order.
    List<PowerMeasurement> seen = List.copyOf(grid);
    System.out.println("grid: " + seen.stream().map(m -> Instant.ofEpochMilli(m.getMeasurementTimestamp()) + " "
        + Math.round(watts(m)) + " W").toList());
    List<Long> times = seen.stream().map(PowerMeasurement::getMeasurementTimestamp).toList();
    assertThat(times).isSorted().doesNotHaveDuplicates().allMatch(t -> t % 60_000 == 0);
    // Before the first instruction took effect the grid took the whole surplus (a step or two:
    // measure, decide, run; more only if the processes were not all connected in time); from
    // then on the battery keeps it within the limit.
    assertThat(watts(seen.getFirst())).isLessThan(-EXPORT_LIMIT);
    int controlled = 0;
    while (controlled < seen.size() && watts(seen.get(controlled)) < -EXPORT_LIMIT) {
      controlled++;
    }
    assertThat(controlled).isBetween(1, 5); // 1 on an idle machine, 3 seen with both cores busy
    assertThat(seen.subList(controlled, seen.size())).allSatisfy(m -> assertThat(watts(m)).isBetween(-EXPORT_LIMIT, 0.0));
  }

  private static double watts(PowerMeasurement m) {
    return m.getValues(0).getWatts();
  }

  /** A process with one interface that receives what the energy manager receives, and keeps the grid's measurements. */
  private ServiceDefinition<Map<String, String>> recorder(InterfaceVersion like) {
    Service<Map<String, String>> service = (config, parameters) -> {};
    ConnectionHandler handler = new ConnectionHandler() {};
    return new ServiceDefinition<>(service, config -> config, List.of(new InterfaceVersion("recorder/observations",
        "v1", like.receivesHash(), like.sendsHash(), ObservationsV1ConnectionHandler.codec(), connection -> handler,
        (h, message) -> {
          if (message instanceof PowerMeasurement m) {
            grid.add(m);
          }
        })));
  }
}
