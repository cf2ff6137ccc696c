package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.defpi.orchestrator.Refusal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web UI from the defpi-web jar on a real server: the page, its hashed assets with their types
 * and caching, and nothing else. The security headers every answer gets are {@link ApiTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAppTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private Javalin app;

  @BeforeAll
  void start() {
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      new WebApp().register(config.routes);
      // as Routes answers refusals
      config.routes.exception(Refusal.class, (e, ctx) -> ctx.status(e.status()).result(e.getMessage()));
    }).start("127.0.0.1", 0);
  }

  @AfterAll
  void stop() {
    app.stop();
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Sends the request line as written, so no client normalises the path first. */
  private int rawStatus(String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", app.port())) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String statusLine = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)
          .lines().findFirst().orElseThrow();
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }

  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("").replace(" ", "");
  }

  /** The /assets/ files the page refers to. */
  private List<String> assetsOfThePage() throws Exception {
    String html = new String(get("/").body(), StandardCharsets.UTF_8);
    Matcher refs = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(html);
    List<String> assets = new ArrayList<>();
    while (refs.find()) {
      assets.add(refs.group(1));
    }
    return assets;
  }

  @Test
  void thePageIsTheBuiltAppWithoutInlineScriptRevalidatedEachTime() throws Exception {
    HttpResponse<byte[]> page = get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(contentType(page)).isEqualTo("text/html;charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    String html = new String(page.body(), StandardCharsets.UTF_8);
    try (InputStream in = getClass().getResourceAsStream(WebApp.DIRECTORY + "index.html")) {
      assertThat(html).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThat(html).contains("<div id=\"root\"></div>")
        .doesNotContain("/src/main.tsx") // the built page, not the source
        .doesNotContainPattern("(?i)\\son[a-z]+\\s*=") // no event handler attributes
        .doesNotContainIgnoringCase("javascript:")
        .doesNotContainIgnoringCase("<style");
    List<String> scripts = HtmlPages.scriptsFromFiles(html);
    assertThat(scripts).hasSize(1);
    assertThat(scripts).allSatisfy(attributes -> assertThat(attributes).as("a script from a file")
        .containsPattern("src=\"/assets/[^\"]+\\.js\""));
  }

  @Test
  void theHashedAssetsAreTheJarsCachedForAYear() throws Exception {
    List<String> assets = assetsOfThePage();
    assertThat(assets).anyMatch(a -> a.endsWith(".js")).anyMatch(a -> a.endsWith(".css"));
    for (String asset : assets) {
      assertThat(asset).as("named by a hash of its content").matches("/assets/[A-Za-z0-9_-]+-[A-Za-z0-9_-]{8}\\.(js|css)");
      HttpResponse<byte[]> file = get(asset);
      assertThat(file.statusCode()).as(asset).isEqualTo(200);
      assertThat(contentType(file)).as(asset)
          .isEqualTo(asset.endsWith(".js") ? "text/javascript;charset=utf-8" : "text/css;charset=utf-8");
      assertThat(file.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
      try (InputStream in = getClass().getResourceAsStream(WebApp.DIRECTORY + asset.substring(1))) {
        assertThat(file.body()).isEqualTo(in.readAllBytes());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/assets/index-00000000.js",
      "/assets/nothing.css",
      "/assets/index.html",
      "/assets/.hidden.js",
      "/assets/WebApp.class",
      "/assets/..",
      "/assets/%2e%2e",
      "/assets/..%2findex.html",
      "/assets/%2e%2e%2fweb%2findex.html",
      "/assets/..%5cindex.html",
      "/assets/%2forg%2fdefpi%2fweb%2findex.html",
      "/assets/..%2f..%2f..%2f..%2fMETA-INF%2fMANIFEST.MF",
      "/assets/../index.html",
      "/assets/./../docs",
      "/assets",
      "/assets/",
      "/index.html"})
  void anythingElseIsNotFound(String path) throws Exception {
    assertThat(rawStatus(path)).as(path).isEqualTo(404);
  }

  @Test
  void aRealAssetUnderAnotherCaseOrWithAPathIsNotFound() throws Exception {
    String asset = assetsOfThePage().get(0);
    String name = asset.substring("/assets/".length());
    assertThat(rawStatus("/assets/" + name.toUpperCase(java.util.Locale.ROOT))).isEqualTo(404);
    assertThat(rawStatus("/assets/assets%2f" + name)).isEqualTo(404);
    assertThat(rawStatus("/assets/x/" + name)).isEqualTo(404);
  }
}
