package dev.geminilive.examples.docs;

import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.examples.tokenserver.Authenticator;
import dev.geminilive.examples.tokenserver.TokenServer;
import dev.geminilive.tokens.EphemeralTokenService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Compiled sources of docs/ephemeral-tokens.md. */
final class TokenSnippets {
  private TokenSnippets() {}

  static TokenServer start(String apiKey, Function<String, Optional<String>> userForSession) {
    // snippet:token-server-start
    Authenticator appLogin =
        headers ->
            Optional.ofNullable(headers.getFirst("Cookie"))
                .flatMap(userForSession); // your session store: cookie -> user id, else 401
    return TokenServer.builder()
        // One use per token: the page fetches a fresh one for each connection (see below).
        .tokens(EphemeralTokenService.builder().apiKey(apiKey).uses(1).build())
        .spec(TokenServer.supportAgent(apiKey)) // the session every token is locked to
        .authenticator(appLogin)
        .rateLimit(5, Duration.ofMinutes(1)) // per user; 429 with Retry-After beyond
        .port(8080)
        .start();
    // end:token-server-start
  }

  static Authenticator demo() {
    // snippet:token-demo-login
    Authenticator demo = Authenticator.bearerSecrets(Map.of("demo-secret", "demo-user"));
    // end:token-demo-login
    return demo;
  }

  static ResilientLiveSession javaClient(
      Supplier<String> fetchTokenFromYourBackend, LiveListener ui) {
    // snippet:token-java-client
    return ResilientLiveSession.builder()
        .ephemeralTokens(fetchTokenFromYourBackend) // asked again when a token is spent or expired
        .listener(ui)
        .connect();
    // end:token-java-client
  }
}
