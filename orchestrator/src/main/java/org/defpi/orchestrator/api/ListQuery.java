package org.defpi.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.defpi.orchestrator.Refusal;

/**
 * Paging, sorting and filtering of a list resource, done in memory over the JSON views, so that a
 * client filters and sorts on exactly the fields and text it sees.
 *
 * <pre>
 * GET /process?state=RUNNING&amp;state=CREATED&amp;userId=u1&amp;sort=-createdAt,name&amp;offset=100&amp;limit=50
 * </pre>
 *
 * A filter keeps the items whose top-level field, as JSON text, equals one of its values: a repeated
 * parameter means OR, different parameters AND. Values are never split on commas, since a comma may be
 * part of a value.
 *
 * @param order the whole order: the requested keys, then the resource's default sort, then {@code id},
 *     so that items equal on the requested keys never swap places between pages
 * @param filters field name to the texts it may have; an item must match every field
 */
record ListQuery(int offset, int limit, List<Key> order, Map<String, Set<String>> filters) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final Set<String> RESERVED = Set.of("offset", "limit", "sort");

  ListQuery {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be at least 0, not " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
    }
    order = List.copyOf(order);
    filters = filters.entrySet().stream()
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Set.copyOf(e.getValue())));
  }

  /** One sort key: a top-level field, ascending unless {@code descending}. */
  record Key(String field, boolean descending) {
    Key {
      Objects.requireNonNull(field, "field");
    }

    static Key asc(String field) {
      return new Key(field, false);
    }

    static Key desc(String field) {
      return new Key(field, true);
    }
  }

  /** What one resource allows: the fields a client may filter and sort on, and its order when none is asked. */
  record Fields(Set<String> filterable, Set<String> sortable, List<Key> defaultSort) {
    Fields {
      filterable = Set.copyOf(filterable);
      sortable = Set.copyOf(sortable);
      defaultSort = List.copyOf(defaultSort);
      for (String name : filterable) {
        if (RESERVED.contains(name)) {
          // The parameter already means paging or sorting, so a client could never filter on it.
          throw new IllegalArgumentException("'" + name + "' is a reserved query parameter and cannot be a filter");
        }
      }
    }
  }

  /** One page of the filtered, sorted items; {@code total} counts every item that passed the filters. */
  record Page(List<ObjectNode> items, int total) {
    Page {
      items = List.copyOf(items);
    }
  }

  /** The query a request asks for, from {@code ctx.queryParamMap()}; any parameter {@code fields} does not allow is refused. */
  static ListQuery parse(Map<String, List<String>> params, Fields fields) throws Refusal.BadRequest {
    int offset = 0;
    int limit = DEFAULT_LIMIT;
    List<Key> order = new ArrayList<>();
    Map<String, Set<String>> filters = new HashMap<>();
    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      String name = param.getKey();
      List<String> values = param.getValue();
      if (values.isEmpty()) {
        continue;
      }
      switch (name) {
        case "offset" -> offset = number(name, single(name, values), 0, Integer.MAX_VALUE);
        case "limit" -> limit = number(name, single(name, values), 1, MAX_LIMIT);
        case "sort" -> order.addAll(sort(single(name, values), fields.sortable()));
        default -> {
          if (!fields.filterable().contains(name)) {
            throw new Refusal.BadRequest("query parameter '" + name + "' is not known here; use offset, limit"
                + (fields.filterable().isEmpty() ? " or sort"
                    : ", sort or a filter on one of: " + sorted(fields.filterable())));
          }
          filters.put(name, Set.copyOf(values));
        }
      }
    }
    List<Key> tiebreaks = new ArrayList<>(fields.defaultSort());
    tiebreaks.add(Key.asc("id"));
    for (Key key : tiebreaks) {
      if (order.stream().noneMatch(k -> k.field().equals(key.field()))) {
        order.add(key);
      }
    }
    return new ListQuery(offset, limit, order, filters);
  }

  /** The items that pass the filters, sorted, then sliced; {@code items} itself is left as it was. */
  Page apply(List<ObjectNode> items) {
    List<ObjectNode> kept = new ArrayList<>();
    for (ObjectNode item : items) {
      if (matches(item)) {
        kept.add(item);
      }
    }
    kept.sort(comparator()); // List.sort is stable: items equal on every key keep their given order
    int from = Math.min(offset, kept.size());
    int to = from + Math.min(limit, kept.size() - from);
    return new Page(kept.subList(from, to), kept.size());
  }

  private boolean matches(ObjectNode item) {
    for (Map.Entry<String, Set<String>> filter : filters.entrySet()) {
      JsonNode value = item.get(filter.getKey());
      if (!isScalar(value) || !filter.getValue().contains(value.asText())) {
        return false;
      }
    }
    return true;
  }

  private Comparator<ObjectNode> comparator() {
    Comparator<ObjectNode> all = (a, b) -> 0;
    for (Key key : order) {
      Comparator<ObjectNode> byKey = (a, b) -> compare(a.get(key.field()), b.get(key.field()));
      all = all.thenComparing(key.descending() ? byKey.reversed() : byKey);
    }
    return all;
  }

  /**
   * Numbers by value, anything else by JSON text. A missing, null or non-scalar value comes after every
   * other, so first when descending: descending is exactly ascending reversed, as in SQL.
   */
  private static int compare(JsonNode a, JsonNode b) {
    boolean hasA = isScalar(a);
    boolean hasB = isScalar(b);
    if (!hasA || !hasB) {
      return Boolean.compare(!hasA, !hasB);
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.asText().compareTo(b.asText());
  }

  private static boolean isScalar(JsonNode value) {
    return value != null && value.isValueNode() && !value.isNull();
  }

  private static List<Key> sort(String text, Set<String> sortable) throws Refusal.BadRequest {
    List<Key> keys = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      boolean descending = part.startsWith("-");
      String field = descending ? part.substring(1) : part;
      if (field.isEmpty()) {
        throw new Refusal.BadRequest("query parameter 'sort' has an empty field name in '" + text
            + "'; give field names separated by commas, e.g. sort=-state,name");
      }
      if (!sortable.contains(field)) {
        throw new Refusal.BadRequest("query parameter 'sort' cannot sort by '" + field + "'; "
            + (sortable.isEmpty() ? "this list cannot be sorted"
                : "sort by one of: " + sorted(sortable) + ", each optionally prefixed with '-' for descending"));
      }
      if (keys.stream().anyMatch(k -> k.field().equals(field))) {
        throw new Refusal.BadRequest("query parameter 'sort' names '" + field + "' twice; name each field once");
      }
      keys.add(new Key(field, descending));
    }
    return keys;
  }

  private static String single(String name, List<String> values) throws Refusal.BadRequest {
    if (values.size() > 1) {
      throw new Refusal.BadRequest("query parameter '" + name + "' is given " + values.size() + " times; give it once");
    }
    return values.getFirst();
  }

  private static int number(String name, String text, int min, int max) throws Refusal.BadRequest {
    if (!text.matches("-?[0-9]+")) {
      throw new Refusal.BadRequest("query parameter '" + name + "' must be a whole number, not '" + text + "'");
    }
    // More digits than any int has is out of range too, not malformed.
    if (text.length() > 11 || Long.parseLong(text) < min || Long.parseLong(text) > max) {
      throw new Refusal.BadRequest("query parameter '" + name + "' must be between " + min + " and " + max
          + ", not " + text);
    }
    return Integer.parseInt(text);
  }

  private static String sorted(Set<String> names) {
    return String.join(", ", new TreeSet<>(names));
  }
}
