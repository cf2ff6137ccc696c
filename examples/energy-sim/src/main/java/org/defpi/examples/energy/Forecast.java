package org.defpi.examples.energy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.LongToDoubleFunction;

/**
 * Expected power from {@code startMillis} on, element after element (as S2's PowerForecast):
 * positive consumption, negative production.
 */
public record Forecast(long startMillis, List<Element> elements) {
  public static final long QUARTER_HOUR = 15 * 60_000L;

  public record Element(long durationMillis, double watts) {
    public Element {
      if (durationMillis <= 0) {
        throw new IllegalArgumentException("a forecast element must last more than 0 ms, lasts " + durationMillis);
      }
    }
  }

  public Forecast {
    elements = List.copyOf(Objects.requireNonNull(elements, "elements"));
  }

  /** {@code count} elements of {@code elementMillis} from {@code startMillis}, each the profile's value at its middle. */
  public static Forecast sample(long startMillis, long elementMillis, int count, LongToDoubleFunction watts) {
    List<Element> elements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      elements.add(new Element(elementMillis, watts.applyAsDouble(startMillis + i * elementMillis + elementMillis / 2)));
    }
    return new Forecast(startMillis, elements);
  }

  public long endMillis() {
    return startMillis + elements.stream().mapToLong(Element::durationMillis).sum();
  }

  /** The expected power at {@code epochMillis}; empty outside the forecast. */
  public OptionalDouble wattsAt(long epochMillis) {
    long from = startMillis;
    for (Element element : elements) {
      if (epochMillis >= from && epochMillis < from + element.durationMillis()) {
        return OptionalDouble.of(element.watts());
      }
      from += element.durationMillis();
    }
    return OptionalDouble.empty();
  }
}
