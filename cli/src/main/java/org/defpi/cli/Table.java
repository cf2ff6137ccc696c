package org.defpi.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for people: a header of upper-case names, then rows, each column as wide as its widest
 * cell plus two spaces. The last column is not padded, so lines carry no trailing blanks. A missing
 * value is shown as {@code -}, so every row has every column and {@code awk} still counts right.
 */
final class Table {
  private static final String GAP = "  ";
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    if (header.length == 0) {
      throw new IllegalArgumentException("a table needs at least one column");
    }
    this.header = List.of(header);
  }

  Table row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("a row of " + header + " needs " + header.size() + " cells, not "
          + cells.length + ": " + Arrays.toString(cells));
    }
    List<String> row = new ArrayList<>(cells.length);
    for (Object cell : cells) {
      String text = cell == null ? "" : CliException.oneLine(cell.toString());
      row.add(text.isEmpty() ? "-" : text);
    }
    rows.add(row);
    return this;
  }

  String render() {
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths);
    rows.forEach(row -> line(out, row, widths));
    return out.toString();
  }

  void print(PrintStream out) {
    out.print(render());
    out.flush();
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      out.append(cell);
      if (c < cells.size() - 1) {
        out.append(" ".repeat(widths[c] - cell.length())).append(GAP);
      }
    }
    out.append('\n');
  }
}
