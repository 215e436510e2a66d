package dev.geminilive.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import dev.geminilive.testkit.internal.Json;
import dev.geminilive.testkit.internal.TokenGrant;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake of the ephemeral-token REST endpoint ({@code POST /v1alpha/auth_tokens}) on WireMock,
 * wired to a {@link FakeLiveServer} that then accepts the minted tokens.
 *
 * <p>Get one with {@link #start(FakeLiveServer)}; {@link #close()} stops it (the live server stays
 * up). Thread-safe. It requires {@code x-goog-api-key} to be the live server's key (else HTTP 400
 * {@code API_KEY_INVALID}), records each request body, and answers {@code {"name":
 * "auth_tokens/<random>", ...}}. The token then works on the live server's constrained path ({@code
 * Authorization: Token ...} or {@code ?access_token=}). Limits as documented: {@code uses} default
 * 1 (0 = unlimited; a fresh session consumes one, a resumption consumes none unless {@link
 * FakeLiveServer.Builder#resumeConsumesTokenUse(boolean)}; spent → close 1011 "Token has been used
 * too many times"), {@code expireTime} default 30 min (after it the token is refused like a bad
 * key), {@code newSessionExpireTime} default 60 s (after it new sessions are refused with 1008),
 * and {@code bidiGenerateContentSetup} locks fields: those named in {@code fieldMask}, or all of
 * them without a mask; the live server uses the locked values whatever the client sends (see {@link
 * FakeSession#effectiveSetup()}).
 *
 * <p>The REST endpoint and the live server listen on two ports, because the SDK uses one baseUrl
 * for both and the REST fake is plain HTTP: mint with {@link #sdkClient()}, connect with {@code
 * live.sdkClient(token, "v1alpha")}.
 *
 * <pre>{@code
 * try (FakeTokenEndpoint tokens = FakeTokenEndpoint.start(live)) {
 *   AuthToken token = tokens.sdkClient().authTokens.create(
 *       CreateAuthTokenConfig.builder().uses(2).build());
 *   Client client = live.sdkClient(token.name().get(), "v1alpha");
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FakeTokenEndpoint implements AutoCloseable {
  /** Lifetime of a token whose request has no {@code expireTime}. */
  public static final Duration DEFAULT_EXPIRE = Duration.ofMinutes(30);

  /** Window for new sessions when the request has no {@code newSessionExpireTime}. */
  public static final Duration DEFAULT_NEW_SESSION_EXPIRE = Duration.ofSeconds(60);

  private static final String TRANSFORMER = "fake-live-auth-tokens";

  private final FakeLiveServer live;
  private final WireMockServer wireMock;
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final List<String> tokens = new CopyOnWriteArrayList<>();
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();

  private FakeTokenEndpoint(FakeLiveServer live) {
    this.live = live;
    this.wireMock =
        new WireMockServer(
            options().bindAddress("127.0.0.1").dynamicPort().extensions(new Transformer()));
    wireMock.start();
    wireMock.stubFor(
        post(urlPathMatching("/v1(alpha|beta)/auth_tokens"))
            .willReturn(aResponse().withTransformers(TRANSFORMER)));
  }

  /**
   * Starts an endpoint on 127.0.0.1 that mints tokens for {@code live}.
   *
   * @param live the live server the tokens are for
   * @return the running endpoint; the caller closes it
   */
  public static FakeTokenEndpoint start(FakeLiveServer live) {
    return new FakeTokenEndpoint(Objects.requireNonNull(live, "live"));
  }

  /**
   * Returns {@code http://127.0.0.1:PORT}: the baseUrl for the SDK client that mints tokens.
   *
   * @return the base URL
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + wireMock.port();
  }

  /**
   * Returns a new SDK client ({@code v1alpha}, the live server's key) aimed at this endpoint.
   *
   * @return a new client
   */
  public Client sdkClient() {
    Client client =
        Client.builder()
            .apiKey(live.apiKey())
            .httpOptions(HttpOptions.builder().baseUrl(baseUrl()).apiVersion("v1alpha").build())
            .build();
    clients.add(client);
    return client;
  }

  /**
   * Returns the JSON bodies of the accepted mint requests (camelCase), oldest first.
   *
   * @return a snapshot of the request bodies
   */
  public List<JsonNode> requests() {
    return List.copyOf(requests);
  }

  /**
   * Returns the names of the tokens minted so far, oldest first.
   *
   * @return a snapshot of the token names
   */
  public List<String> tokens() {
    return List.copyOf(tokens);
  }

  /**
   * Returns the underlying WireMock server, for extra stubs or verification.
   *
   * @return the WireMock server
   */
  public WireMockServer wireMock() {
    return wireMock;
  }

  /** Stops the endpoint and the SDK clients it created. Idempotent. */
  @Override
  public void close() {
    clients.forEach(Client::close);
    clients.clear();
    wireMock.stop();
  }

  private ResponseDefinition mint(ServeEvent event) {
    String key = event.getRequest().getHeader("x-goog-api-key");
    if (!live.apiKey().equals(key)) {
      return json(
          400,
          "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a"
              + " valid API key.\",\"status\":\"INVALID_ARGUMENT\"}}");
    }
    JsonNode body;
    try {
      body = Json.camelCase(Json.parseObject(event.getRequest().getBodyAsString()));
    } catch (JsonProcessingException e) {
      return json(
          400,
          "{\"error\":{\"code\":400,\"message\":\"Invalid JSON payload received.\","
              + "\"status\":\"INVALID_ARGUMENT\"}}");
    }
    Instant now = live.clock().instant();
    Instant expire;
    Instant newSessionExpire;
    try {
      expire = instant(body.path("expireTime"), now.plus(DEFAULT_EXPIRE));
      newSessionExpire =
          instant(body.path("newSessionExpireTime"), now.plus(DEFAULT_NEW_SESSION_EXPIRE));
    } catch (DateTimeParseException e) {
      return json(
          400,
          "{\"error\":{\"code\":400,\"message\":\"Invalid time.\","
              + "\"status\":\"INVALID_ARGUMENT\"}}");
    }
    int uses = body.path("uses").isMissingNode() ? 1 : body.path("uses").asInt();
    JsonNode setup = body.path("bidiGenerateContentSetup");
    List<String> mask =
        body.path("fieldMask").isMissingNode()
            ? null
            : Arrays.stream(body.path("fieldMask").asText().split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    byte[] id = new byte[16];
    random.nextBytes(id);
    String name = "auth_tokens/" + HexFormat.of().formatHex(id);
    live.registerToken(
        new TokenGrant(
            name,
            uses,
            expire,
            newSessionExpire,
            setup.isObject() ? (ObjectNode) setup : null,
            mask));
    requests.add(body);
    tokens.add(name);
    ObjectNode out = Json.object();
    out.put("name", name);
    out.put("uses", uses);
    out.put("expireTime", expire.toString());
    out.put("newSessionExpireTime", newSessionExpire.toString());
    if (setup.isObject()) {
      out.set("bidiGenerateContentSetup", setup);
    }
    return json(200, Json.write(out));
  }

  private static Instant instant(JsonNode node, Instant fallback) {
    return node.isMissingNode() || node.isNull() ? fallback : Instant.parse(node.asText());
  }

  private static ResponseDefinition json(int status, String body) {
    return new ResponseDefinitionBuilder()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=UTF-8")
        .withBody(body)
        .build();
  }

  private final class Transformer implements ResponseDefinitionTransformerV2 {
    @Override
    public ResponseDefinition transform(ServeEvent event) {
      return mint(event);
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public String getName() {
      return TRANSFORMER;
    }
  }

  @Override
  public String toString() {
    return "FakeTokenEndpoint[" + baseUrl() + "]";
  }
}
