package dev.geminilive.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeTokenEndpoint;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tokens.EphemeralToken;
import dev.geminilive.tokens.EphemeralTokenService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TLS verification stays on outside the testkit, secrets never leak into messages, {@code
 * toString()}s or logs, and tokens are minted with locked constraints.
 *
 * <p>Logs are captured from {@code System.err}, where the test binding (slf4j-simple, default level
 * INFO) writes; the test first checks that the capture sees the library's own log lines.
 */
@Tag("reliability")
class SecurityTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String API_KEY = "test-key-RELIABILITY-SECRET-7f3a9c";
  private static final String WRONG_KEY = "test-key-WRONG-SECRET-1b2c3d";

  private FakeLiveServer server;
  private FakeTokenEndpoint tokens;

  @AfterEach
  void stop() {
    if (tokens != null) {
      tokens.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theDefaultHttpClientRefusesTheFakesSelfSignedCertificate() {
    server = FakeLiveServer.builder().apiKey(API_KEY).build();
    Throwable thrown =
        catchThrowable(
            () ->
                ResilientLiveSession.builder()
                    .apiKey(API_KEY)
                    .baseUrl(server.baseUrl())
                    .connectTimeout(Duration.ofSeconds(5))
                    .connect());
    assertThat(thrown).isInstanceOf(LiveConnectException.class);
    assertThat(((LiveConnectException) thrown).isRetryable()).isFalse();
    assertThat(causes(thrown)).anyMatch(SSLException.class::isInstance);
    assertThat(server.recorder().ofKind(MessageKind.SETUP)).as("no setup went out").isEmpty();
    assertThat(messages(thrown)).doesNotContain(API_KEY);
  }

  @Test
  void secretsNeverAppearInMessagesToStringsOrLogs() throws Exception {
    server = FakeLiveServer.builder().apiKey(API_KEY).build();
    tokens = FakeTokenEndpoint.start(server);
    List<String> texts = new ArrayList<>();
    String token;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      // A working session with the key: its spec, auth, session and stats.
      RecordingLiveListener events = new RecordingLiveListener();
      SessionSpec spec = server.sessionBuilder().listener(events).build();
      texts.add(spec.toString());
      texts.add(spec.auth().toString());
      try (ResilientLiveSession session = server.sessionBuilder().listener(events).connect()) {
        session.sendText("hello");
        events.awaitTurnComplete();
        texts.add(session.toString());
        texts.add(session.stats().toString());
        server.connections().get(0).close(1011, "Internal error encountered.");
        events.await(EventType.RECONNECTED);
      }

      // A wrong key: the failure's message and cause chain.
      Throwable wrong = catchThrowable(() -> server.sessionBuilder().apiKey(WRONG_KEY).connect());
      assertThat(wrong).isInstanceOf(LiveException.class);
      texts.add(messages(wrong));

      // The default client and TLS: the failure's messages.
      texts.add(
          messages(
              catchThrowable(
                  () ->
                      ResilientLiveSession.builder()
                          .apiKey(API_KEY)
                          .baseUrl(server.baseUrl())
                          .connectTimeout(Duration.ofSeconds(5))
                          .connect())));

      // Ephemeral tokens: the service, the token, a session on it, and a token used up.
      EphemeralTokenService service =
          EphemeralTokenService.builder().apiKey(API_KEY).baseUrl(tokens.baseUrl()).build();
      texts.add(service.toString());
      EphemeralToken minted = service.mint(spec);
      token = minted.name();
      texts.add(minted.toString());
      SessionSpec tokenSpec =
          ResilientLiveSession.builder()
              .ephemeralToken(token)
              .baseUrl(server.baseUrl())
              .httpClient(server.okHttpClient())
              .build();
      texts.add(tokenSpec.toString());
      texts.add(tokenSpec.auth().toString());
      try (ResilientLiveSession s = tokenSpec.toBuilder().listener(events).connect()) {
        texts.add(s.toString());
      }
      Throwable spent = catchThrowable(() -> tokenSpec.toBuilder().connect());
      assertThat(spent).isInstanceOf(LiveException.class);
      texts.add(messages(spent));
      // A bad key at the token endpoint.
      texts.add(
          messages(
              catchThrowable(
                  () ->
                      EphemeralTokenService.builder()
                          .apiKey(WRONG_KEY)
                          .baseUrl(tokens.baseUrl())
                          .build()
                          .mint(spec))));
    } finally {
      System.err.flush();
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).as("the capture sees the library's log").contains("dev.geminilive");
    String secretPart = token.substring("auth_tokens/".length());
    for (String secret : List.of(API_KEY, WRONG_KEY, secretPart)) {
      assertThat(log).as("log output").doesNotContain(secret);
      for (String text : texts) {
        assertThat(text).as("message or toString").doesNotContain(secret);
      }
    }
  }

  @Test
  void keysAndTokensWithControlCharactersAreRefusedWithoutShowingThem() throws Exception {
    server = FakeLiveServer.builder().apiKey(API_KEY).build();
    tokens = FakeTokenEndpoint.start(server);
    String token =
        EphemeralTokenService.builder()
            .apiKey(API_KEY)
            .baseUrl(tokens.baseUrl())
            .build()
            .mint(server.sessionBuilder().build())
            .name();
    List<String> secrets = List.of(API_KEY, token.substring("auth_tokens/".length()));
    List<String> texts = new ArrayList<>();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      // A key read from a file with its newline, pasted with a space or a tab, or with a NUL.
      for (String bad :
          List.of(
              API_KEY + "\n", API_KEY + "\r\n", " " + API_KEY, API_KEY + "\t", API_KEY + "\0")) {
        Throwable thrown = catchThrowable(() -> server.sessionBuilder().apiKey(bad).connect());
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        assertThat(thrown.getMessage()).contains("apiKey");
        texts.add(messages(thrown));
      }
      assertThat(catchThrowable(() -> server.sessionBuilder().apiKey(API_KEY + "\n")).getMessage())
          .contains("line feed")
          .contains("end");
      // One fixed token, and a supplier whose token carries a newline: the connect fails.
      Throwable fixed =
          catchThrowable(() -> server.sessionBuilder().ephemeralToken(token + "\n").connect());
      assertThat(fixed).isInstanceOf(IllegalArgumentException.class);
      texts.add(messages(fixed));
      Throwable supplied =
          catchThrowable(
              () -> server.sessionBuilder().ephemeralTokens(() -> token + "\r\n").connect());
      assertThat(supplied).isInstanceOf(LiveException.class);
      assertThat(supplied.getMessage()).contains("carriage return");
      texts.add(messages(supplied));
    } finally {
      System.err.flush();
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    for (String secret : secrets) {
      for (String part : partsOf(secret)) {
        assertThat(log).as("log output").doesNotContain(part);
        for (String text : texts) {
          assertThat(text).as("exception message").doesNotContain(part);
        }
      }
    }
  }

  /** Every piece of the secret long enough to identify it (8 characters). */
  private static List<String> partsOf(String secret) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i + 8 <= secret.length(); i++) {
      parts.add(secret.substring(i, i + 8));
    }
    return parts;
  }

  @Test
  void tokensAreMintedWithTheWholeSetupLockedByDefault() {
    server = FakeLiveServer.builder().apiKey(API_KEY).build();
    tokens = FakeTokenEndpoint.start(server);
    SessionSpec spec =
        ResilientLiveSession.builder()
            .apiKey("server-side-only")
            .systemInstruction("Only talk about bookings.")
            .temperature(0.4)
            .build();
    EphemeralTokenService.builder().apiKey(API_KEY).baseUrl(tokens.baseUrl()).build().mint(spec);
    JsonNode request = tokens.requests().get(0);
    assertThat(request.has("bidiGenerateContentSetup")).isTrue();
    assertThat(request.path("bidiGenerateContentSetup").path("model").asText())
        .isEqualTo("models/" + spec.model());
    assertThat(request.has("fieldMask")).as("no field mask: every field is locked").isFalse();
    assertThat(request.path("uses").asInt()).isEqualTo(EphemeralTokenService.DEFAULT_USES);
    assertThatThrownBy(() -> EphemeralTokenService.builder().uses(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> all = new ArrayList<>();
    for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
      all.add(c);
    }
    return all;
  }

  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c : causes(t)) {
      sb.append(c).append('\n');
      for (Throwable s : c.getSuppressed()) {
        sb.append(s).append('\n');
      }
    }
    return sb.toString();
  }
}
