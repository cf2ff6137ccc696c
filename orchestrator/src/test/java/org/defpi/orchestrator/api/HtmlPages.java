package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests of the pages the orchestrator serves check alike: no script inline, under our CSP. */
final class HtmlPages {
  private static final Pattern SCRIPT = Pattern.compile("<script([^>]*)>(.*?)</script>",
      Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  private HtmlPages() {}

  /** The attributes of each script element of the page, in order; each must have no inline body. */
  static List<String> scriptsFromFiles(String html) {
    List<String> attributes = new ArrayList<>();
    Matcher scripts = SCRIPT.matcher(html);
    while (scripts.find()) {
      assertThat(scripts.group(2)).as("no inline script body").isBlank();
      attributes.add(scripts.group(1));
    }
    return attributes;
  }
}
