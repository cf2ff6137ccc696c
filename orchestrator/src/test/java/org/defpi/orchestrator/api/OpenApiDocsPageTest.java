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
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.defpi.orchestrator.Refusal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The documentation page on a real server: its files, their types and caching, and nothing else. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocsPageTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private Javalin app;

  @BeforeAll
  void start() {
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      new DocsPage().register(config.routes);
      config.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(new OpenApi("1").json()));
      // as Routes answers refusals
      config.routes.exception(Refusal.class, (e, ctx) -> ctx.status(e.status()).result(e.getMessage()));
    }).start("127.0.0.1", 0);
  }

  @AfterAll
  void stop() {
    app.stop();
  }

  /** The Content-Type without the spaces Jetty may drop. */
  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("").replace(" ", "");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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

  @Test
  void swaggerUiVersionIsTheWebjarsOnTheClassPath() throws Exception {
    Properties pom = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      pom.load(in);
    }
    assertThat(DocsPage.SWAGGER_UI_VERSION).isEqualTo(pom.getProperty("version")).isEqualTo("5.34.1");
    for (String file : DocsPage.WEBJAR_FILES) {
      assertThat(getClass().getResource(DocsPage.WEBJAR_DIRECTORY + file)).as(file).isNotNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/docs", "/docs/", "/docs/index.html"})
  void thePageIsHtmlWithoutInlineScript(String path) throws Exception {
    HttpResponse<String> page = get(path);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(contentType(page)).isEqualTo("text/html;charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue(StaticFiles.NO_CACHE);
    String html = page.body();
    assertThat(html).contains("<div id=\"swagger-ui\">")
        .contains("/docs/swagger-ui-bundle.js?v=" + DocsPage.SWAGGER_UI_VERSION)
        .contains("/docs/swagger-ui.css?v=" + DocsPage.SWAGGER_UI_VERSION)
        .contains("/docs/init.js")
        .doesNotContain("@SWAGGER_UI_VERSION@")
        .doesNotContainIgnoringCase("onload=")
        .doesNotContainIgnoringCase("onclick=")
        .doesNotContainIgnoringCase("javascript:")
        .doesNotContainIgnoringCase("<style");
    List<String> scripts = HtmlPages.scriptsFromFiles(html);
    assertThat(scripts).hasSize(2);
    assertThat(scripts).allSatisfy(attributes -> assertThat(attributes).as("a script from a file").contains("src=\"/docs/"));
    // every file the page refers to is served
    Matcher refs = Pattern.compile("(?:src|href)=\"(/docs/[^\"]+)\"").matcher(html);
    while (refs.find()) {
      assertThat(get(refs.group(1)).statusCode()).as(refs.group(1)).isEqualTo(200);
    }
  }

  @Test
  void initJsStartsSwaggerUiOnTheOwnDocument() throws Exception {
    HttpResponse<String> init = get("/docs/init.js");

    assertThat(init.statusCode()).isEqualTo(200);
    assertThat(contentType(init)).isEqualTo("text/javascript;charset=utf-8");
    assertThat(init.headers().firstValue("Cache-Control")).hasValue(StaticFiles.NO_CACHE);
    assertThat(init.body()).contains("SwaggerUIBundle(").contains("url: \"/openapi.json\"")
        .contains("validatorUrl: null").doesNotContain("http://").doesNotContain("https://");
    assertThat(get("/openapi.json").statusCode()).isEqualTo(200);
  }

  @Test
  void swaggerUiFilesComeFromTheWebjarCachedForAYear() throws Exception {
    HttpResponse<String> bundle = get("/docs/swagger-ui-bundle.js?v=" + DocsPage.SWAGGER_UI_VERSION);

    assertThat(bundle.statusCode()).isEqualTo(200);
    assertThat(contentType(bundle)).isEqualTo("text/javascript;charset=utf-8");
    assertThat(bundle.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
    assertThat(bundle.body()).contains("SwaggerUIBundle");
    try (InputStream in = getClass().getResourceAsStream(DocsPage.WEBJAR_DIRECTORY + "swagger-ui-bundle.js")) {
      assertThat(bundle.body()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    HttpResponse<String> css = get("/docs/swagger-ui.css");
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(contentType(css)).isEqualTo("text/css;charset=utf-8");
    assertThat(css.headers().firstValue("Cache-Control")).hasValue(StaticFiles.IMMUTABLE);

    HttpResponse<String> icon = get("/docs/favicon-32x32.png");
    assertThat(icon.statusCode()).isEqualTo(200);
    assertThat(contentType(icon)).isEqualTo("image/png");
    assertThat(icon.headers().firstValue("Cache-Control")).hasValue(StaticFiles.IMMUTABLE);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/docs/swagger-initializer.js", // the webjar's own, pointing at the petstore
      "/docs/index.css",
      "/docs/oauth2-redirect.html",
      "/docs/swagger-ui.js",
      "/docs/nothing.js",
      "/docs/openapi.yaml",
      "/docs/DocsPage.class",
      "/docs/version.properties",
      "/docs/..",
      "/docs/%2e%2e",
      "/docs/..%2fopenapi.yaml",
      "/docs/%2e%2e%2fopenapi.yaml",
      "/docs/..%5copenapi.yaml",
      "/docs/%2e%2e%2f%2e%2e%2fversion.properties",
      "/docs/%2fMETA-INF%2fmaven%2forg.webjars%2fswagger-ui%2fpom.properties",
      "/docs/..%2f..%2f..%2f..%2f..%2fMETA-INF%2fMANIFEST.MF",
      "/docs/5.34.1/swagger-ui-bundle.js",
      "/docs/../version.properties",
      "/docs/../api/openapi.yaml",
      "/docs/./../version.properties",
      "/docs/../orchestrator/version.properties"})
  void anythingElseIsNotFound(String path) throws Exception {
    assertThat(rawStatus(path)).as(path).isEqualTo(404);
  }

  /** Paths that climb above the root or hold a NUL: Jetty refuses them (400) before any route sees them. */
  @ParameterizedTest
  @ValueSource(strings = {
      "/docs/../../version.properties",
      "/docs/../../../../META-INF/MANIFEST.MF",
      "/docs/%00index.html",
      "/docs/index.html%00"})
  void malformedPathsAreRefused(String path) throws Exception {
    assertThat(rawStatus(path)).as(path).isIn(400, 404);
  }
}
