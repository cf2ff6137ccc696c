package org.defpi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SseParser}, fed lines as {@code BodyHandlers.ofLines()} gives them (ends already cut). */
class SseParserTest {
  private final SseParser parser = new SseParser();

  /** Each {@code \n}-separated piece as one line: {@code "a\n"} is the line {@code a} and a blank line. */
  private List<SseParser.Event> feed(String text) {
    List<SseParser.Event> events = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      parser.line(line).ifPresent(events::add);
    }
    return events;
  }

  @Test
  void fieldLinesMakeAnEventThatABlankLineEnds() {
    assertThat(feed("event: process\nid: r-1\ndata: {\"seq\":1}")).isEmpty();
    assertThat(feed("")).containsExactly(new SseParser.Event("process", "r-1", "{\"seq\":1}"));
  }

  @Test
  void dataLinesAreJoinedWithNewlinesWithoutATrailingOne() {
    assertThat(feed("data: first\ndata: second\ndata:\n\n"))
        .containsExactly(new SseParser.Event("message", "", "first\nsecond\n"));
  }

  @Test
  void theNameDefaultsToMessageAndDoesNotCarryOverToTheNextEvent() {
    assertThat(feed("event: ready\ndata: a\n\ndata: b\n\n")).extracting(SseParser.Event::name)
        .containsExactly("ready", "message");
  }

  @Test
  void commentsRetryAndUnknownFieldsAreIgnored() {
    assertThat(feed(": keep-alive\n\n:\nretry: 3000\nfoo: bar\nevent: x\n: in between\ndata: d\n\n"))
        .containsExactly(new SseParser.Event("x", "", "d"));
  }

  @Test
  void theIdStaysForLaterEventsUntilAnotherOneAndAnEmptyIdClearsIt() {
    List<SseParser.Event> events = feed("id: r-1\ndata: a\n\ndata: b\n\nid: r-2\ndata: c\n\nid\ndata: d\n\n");
    assertThat(events).extracting(SseParser.Event::id).containsExactly("r-1", "r-1", "r-2", "");
    assertThat(parser.lastEventId()).isEmpty();
  }

  @Test
  void anIdWithANulIsIgnored() {
    assertThat(feed("id: r-1\nid: bad\0id\ndata: a\n\n")).extracting(SseParser.Event::id).containsExactly("r-1");
  }

  @Test
  void anEventWithoutDataIsNotDispatchedButItsIdCounts() {
    assertThat(feed("event: ping\nid: r-7\n\n")).isEmpty();
    assertThat(parser.lastEventId()).isEqualTo("r-7");
    assertThat(feed("data: x\n\n")).containsExactly(new SseParser.Event("message", "r-7", "x"));
  }

  @Test
  void onlyOneSpaceAfterTheColonIsDroppedAndALineWithoutColonIsAFieldWithAnEmptyValue() {
    assertThat(feed("data:x\ndata:  y\ndata\n\n")).extracting(SseParser.Event::data).containsExactly("x\n y\n");
  }

  @Test
  void aByteOrderMarkOnTheFirstLineIsSkipped() {
    assertThat(feed("\uFEFFevent: ready\ndata: {}\n\n")).extracting(SseParser.Event::name).containsExactly("ready");
  }

  @Test
  void anEventCutOffBeforeItsBlankLineIsNeverDispatched() {
    assertThat(feed("event: process\ndata: {\"seq\":1}")).isEmpty();
  }
}
