package org.defpi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void columnsAreAsWideAsTheirWidestCellAndTheLastIsNotPadded() {
    String table = new Table("ID", "NAME", "STATE")
        .row("p1", "power-meter", "RUNNING")
        .row("process-22", "x", "STARTING")
        .render();
    assertThat(table).isEqualTo("""
        ID          NAME         STATE
        p1          power-meter  RUNNING
        process-22  x            STARTING
        """);
  }

  @Test
  void missingValuesShowAsADashSoEveryRowHasEveryColumn() {
    assertThat(new Table("A", "B", "C").row("1", null, "").render()).isEqualTo("A  B  C\n1  -  -\n");
  }

  @Test
  void aCellWithLineBreaksStaysOnItsRow() {
    assertThat(new Table("ID", "REASON").row("p1", "image pull failed:\n  no such tag").render())
        .isEqualTo("ID  REASON\np1  image pull failed: no such tag\n");
  }

  @Test
  void anEmptyTableIsItsHeader() {
    assertThat(new Table("ID", "NAME").render()).isEqualTo("ID  NAME\n");
  }

  @Test
  void aRowOfTheWrongWidthIsABug() {
    assertThatThrownBy(() -> new Table("A", "B").row("1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 2 cells, not 1");
  }
}
