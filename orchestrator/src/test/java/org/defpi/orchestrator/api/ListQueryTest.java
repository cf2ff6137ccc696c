package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.api.ListQuery.Fields;
import org.defpi.orchestrator.api.ListQuery.Key;
import org.defpi.orchestrator.api.ListQuery.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListQueryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Fields FIELDS = new Fields(
      Set.of("name", "port", "ready", "serviceId", "state", "userId"),
      Set.of("createdAt", "name", "port", "state"),
      List.of(Key.asc("createdAt")));

  @Test
  void noParametersGiveTheFirstHundredInDefaultOrder() throws Exception {
    List<ObjectNode> items = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      items.add(item("{'id':'p%03d','createdAt':'2024-01-01T00:00:%02dZ'}".formatted(i, i / 3)));
    }
    Collections.shuffle(items, new Random(1));

    ListQuery query = ListQuery.parse(Map.of(), FIELDS);
    Page page = query.apply(items);

    assertThat(query.offset()).isZero();
    assertThat(query.limit()).isEqualTo(100);
    assertThat(query.order()).containsExactly(Key.asc("createdAt"), Key.asc("id"));
    assertThat(page.total()).isEqualTo(150);
    // Three items share each createdAt; id orders them, so the shuffle cannot show through.
    assertThat(ids(page)).hasSize(100).startsWith("p000", "p001", "p002", "p003").endsWith("p099");
  }

  @Test
  void offsetAndLimitSliceButTotalCountsEveryMatch() throws Exception {
    Page page = query("offset=1&limit=2").apply(fiveByCreation());

    assertThat(ids(page)).containsExactly("b", "c");
    assertThat(page.total()).isEqualTo(5);
  }

  @Test
  void aLastPartialPageHoldsWhatIsLeft() throws Exception {
    assertThat(ids(query("offset=4&limit=2").apply(fiveByCreation()))).containsExactly("e");
  }

  @Test
  void offsetPastTheEndGivesNoItemsButKeepsTheTotal() throws Exception {
    Page page = query("offset=" + Integer.MAX_VALUE + "&limit=1000").apply(fiveByCreation());

    assertThat(page.items()).isEmpty();
    assertThat(page.total()).isEqualTo(5);
  }

  @Test
  void limitBoundsAreInclusive() throws Exception {
    assertThat(query("limit=1").limit()).isEqualTo(1);
    assertThat(query("limit=1000").limit()).isEqualTo(1000);
  }

  @Test
  void minusSortsDescending() throws Exception {
    assertThat(ids(query("sort=-createdAt").apply(fiveByCreation()))).containsExactly("e", "d", "c", "b", "a");
  }

  @Test
  void laterSortKeysOrderItemsEqualOnEarlierOnes() throws Exception {
    List<ObjectNode> items = List.of(
        item("{'id':'1','state':'RUNNING','name':'b'}"),
        item("{'id':'2','state':'CREATED','name':'z'}"),
        item("{'id':'3','state':'RUNNING','name':'a'}"),
        item("{'id':'4','state':'STOPPED','name':'c'}"));

    assertThat(ids(query("sort=-state,name").apply(items))).containsExactly("4", "3", "1", "2");
  }

  @Test
  void numbersSortByValueAndTextByCharacter() throws Exception {
    List<ObjectNode> items = List.of(
        item("{'id':'a','port':100,'name':'n10'}"),
        item("{'id':'b','port':9,'name':'n9'}"),
        item("{'id':'c','port':10.5,'name':'N2'}"));

    assertThat(ids(query("sort=port").apply(items))).containsExactly("b", "c", "a");
    // String.compareTo: digit by digit and upper case first, not natural or locale order.
    assertThat(ids(query("sort=name").apply(items))).containsExactly("c", "a", "b");
  }

  @Test
  void aNumberAndATextCompareAsText() throws Exception {
    List<ObjectNode> items = List.of(item("{'id':'a','port':9}"), item("{'id':'b','port':'10'}"));

    assertThat(ids(query("sort=port").apply(items))).containsExactly("b", "a");
  }

  @Test
  void missingAndNullValuesComeLastAscendingAndFirstDescending() throws Exception {
    List<ObjectNode> items = List.of(
        item("{'id':'1','name':null}"),
        item("{'id':'2','name':'b'}"),
        item("{'id':'3'}"),
        item("{'id':'4','name':'a'}"));

    assertThat(ids(query("sort=name").apply(items))).containsExactly("4", "2", "1", "3");
    // Descending is ascending reversed (as SQL's default NULLS LAST / NULLS FIRST), except that the id
    // tiebreak stays ascending.
    assertThat(ids(query("sort=-name").apply(items))).containsExactly("1", "3", "2", "4");
  }

  @Test
  void tiesFallBackToTheDefaultSortThenId() throws Exception {
    List<ObjectNode> items = List.of(
        item("{'id':'x2','state':'RUNNING','createdAt':'2024-01-01T00:00:01Z'}"),
        item("{'id':'x1','state':'RUNNING','createdAt':'2024-01-01T00:00:01Z'}"),
        item("{'id':'x0','state':'RUNNING','createdAt':'2024-01-01T00:00:02Z'}"));

    assertThat(ids(query("sort=state").apply(items))).containsExactly("x1", "x2", "x0");
  }

  @Test
  void aRequestedKeyReplacesTheSameKeyInTheTiebreak() throws Exception {
    assertThat(query("sort=-createdAt").order()).containsExactly(Key.desc("createdAt"), Key.asc("id"));
  }

  @Test
  void itemsEqualOnEveryKeyKeepTheirGivenOrder() throws Exception {
    List<ObjectNode> items = List.of(item("{'name':'b','port':1}"), item("{'name':'a','port':1}"));

    assertThat(query("sort=port").apply(items).items()).extracting(i -> i.get("name").asText())
        .containsExactly("b", "a");
  }

  @Test
  void aRepeatedFilterMatchesEitherValue() throws Exception {
    assertThat(ids(query("state=RUNNING&state=STOPPED").apply(people()))).containsExactly("1", "3", "4");
  }

  @Test
  void differentFiltersMustAllMatch() throws Exception {
    Page page = query("state=RUNNING&state=STOPPED&userId=u1&limit=1").apply(people());

    assertThat(ids(page)).containsExactly("1");
    assertThat(page.total()).isEqualTo(2);
  }

  @Test
  void filtersMatchTheJsonTextOfNumbersAndBooleans() throws Exception {
    List<ObjectNode> items = List.of(
        item("{'id':'1','port':8080,'ready':true}"),
        item("{'id':'2','port':'8080','ready':false}"),
        item("{'id':'3','port':8080.0}"));

    // 8080.0 is the same number but not the same text, and text is what a filter compares.
    assertThat(ids(query("port=8080").apply(items))).containsExactly("1", "2");
    assertThat(ids(query("ready=true").apply(items))).containsExactly("1");
  }

  @Test
  void aCommaIsPartOfTheValue() throws Exception {
    List<ObjectNode> items = List.of(item("{'id':'1','name':'a,b'}"), item("{'id':'2','name':'a'}"));

    assertThat(ids(query("name=a,b").apply(items))).containsExactly("1");
  }

  @Test
  void aMissingNullOrStructuredFieldMatchesNoFilter() throws Exception {
    List<ObjectNode> items = List.of(
        item("{'id':'1'}"),
        item("{'id':'2','name':null}"),
        item("{'id':'3','name':{}}"),
        item("{'id':'4','name':''}"));

    // asText() gives "null" and "" for these; neither is what the client sees in the JSON.
    assertThat(ids(query("name=null").apply(items))).isEmpty();
    assertThat(ids(query("name=").apply(items))).containsExactly("4");
  }

  @Test
  void applyLeavesItsInputAlone() throws Exception {
    List<ObjectNode> items = new ArrayList<>(fiveByCreation());
    Collections.reverse(items);
    List<ObjectNode> before = List.copyOf(items);

    query("sort=createdAt").apply(items);

    assertThat(items).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      colour=red        | query parameter 'colour' is not known here; use offset, limit, sort or a filter on one of: name, port, ready, serviceId, state, userId
      createdAt=x       | query parameter 'createdAt' is not known here; use offset, limit, sort or a filter on one of: name, port, ready, serviceId, state, userId
      sort=serviceId    | query parameter 'sort' cannot sort by 'serviceId'; sort by one of: createdAt, name, port, state, each optionally prefixed with '-' for descending
      sort=-name,-id    | query parameter 'sort' cannot sort by 'id'; sort by one of: createdAt, name, port, state, each optionally prefixed with '-' for descending
      sort=name,        | query parameter 'sort' has an empty field name in 'name,'; give field names separated by commas, e.g. sort=-state,name
      sort=-            | query parameter 'sort' has an empty field name in '-'; give field names separated by commas, e.g. sort=-state,name
      sort=name,-name   | query parameter 'sort' names 'name' twice; name each field once
      sort=name&sort=id | query parameter 'sort' is given 2 times; give it once
      offset=ten        | query parameter 'offset' must be a whole number, not 'ten'
      offset=1.5        | query parameter 'offset' must be a whole number, not '1.5'
      offset=           | query parameter 'offset' must be a whole number, not ''
      offset=-1         | query parameter 'offset' must be between 0 and 2147483647, not -1
      offset=2147483648 | query parameter 'offset' must be between 0 and 2147483647, not 2147483648
      limit=0           | query parameter 'limit' must be between 1 and 1000, not 0
      limit=1001        | query parameter 'limit' must be between 1 and 1000, not 1001
      limit=99999999999999999999 | query parameter 'limit' must be between 1 and 1000, not 99999999999999999999
      limit=1&limit=2   | query parameter 'limit' is given 2 times; give it once
      """)
  void refusalsNameTheParameterAndWhatIsAllowed(String queryString, String message) {
    assertThatThrownBy(() -> query(queryString))
        .isInstanceOf(Refusal.BadRequest.class)
        .hasMessage(message);
  }

  @Test
  void withNoFiltersAnUnknownParameterIsToldOnlyThePagingOnes() {
    Fields unfiltered = new Fields(Set.of(), Set.of("name"), List.of());

    assertThatThrownBy(() -> ListQuery.parse(params("state=x"), unfiltered))
        .hasMessage("query parameter 'state' is not known here; use offset, limit or sort");
  }

  @Test
  void aReservedNameCannotBeDeclaredFilterable() {
    assertThatThrownBy(() -> new Fields(Set.of("limit"), Set.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'limit' is a reserved query parameter and cannot be a filter");
  }

  private static List<ObjectNode> fiveByCreation() throws JsonProcessingException {
    List<ObjectNode> items = new ArrayList<>();
    for (String id : List.of("c", "a", "e", "b", "d")) {
      items.add(item("{'id':'%s','createdAt':'2024-01-01T00:00:0%dZ'}".formatted(id, id.charAt(0) - 'a')));
    }
    return items;
  }

  private static List<ObjectNode> people() throws JsonProcessingException {
    return List.of(
        item("{'id':'1','state':'RUNNING','userId':'u1'}"),
        item("{'id':'2','state':'CREATED','userId':'u1'}"),
        item("{'id':'3','state':'STOPPED','userId':'u1'}"),
        item("{'id':'4','state':'RUNNING','userId':'u2'}"),
        item("{'id':'5','userId':'u1'}"));
  }

  private static ListQuery query(String queryString) throws Refusal.BadRequest {
    return ListQuery.parse(params(queryString), FIELDS);
  }

  /** As Javalin's {@code queryParamMap()}: each name to its values in order; no percent-decoding needed here. */
  private static Map<String, List<String>> params(String queryString) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (String pair : queryString.split("&")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        params.computeIfAbsent(name, n -> new ArrayList<>()).add(eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    return params;
  }

  private static ObjectNode item(String json) throws JsonProcessingException {
    return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
  }

  private static List<String> ids(Page page) {
    return page.items().stream().map(i -> i.get("id").asText()).toList();
  }
}
