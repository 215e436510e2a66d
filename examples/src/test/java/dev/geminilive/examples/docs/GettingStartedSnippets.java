package dev.geminilive.examples.docs;

import dev.geminilive.AudioChunk;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import dev.geminilive.examples.coach.CoachInstruction;
import dev.geminilive.tokens.EphemeralToken;
import dev.geminilive.tokens.EphemeralTokenService;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/** Compiled sources of docs/getting-started.md. */
final class GettingStartedSnippets {
  private GettingStartedSnippets() {}

  static void firstSession() throws InterruptedException {
    // snippet:first-session
    CountDownLatch answered = new CountDownLatch(1);
    try (ResilientLiveSession session =
        ResilientLiveSession.builder()
            .apiKey(System.getenv("GEMINI_API_KEY"))
            .persona("You are Ada, a friendly assistant who answers in one or two sentences.")
            .listener(
                new LiveListener() {
                  @Override
                  public void onOutputTranscript(ResilientLiveSession s, String text) {
                    System.out.print(text);
                  }

                  @Override
                  public void onTurnComplete(ResilientLiveSession s, String reason) {
                    System.out.println();
                    answered.countDown();
                  }
                })
            .connect()) {
      session.sendText("What is the capital of Australia?");
      answered.await(30, TimeUnit.SECONDS);
    }
    // end:first-session
  }

  static LiveListener listener(Consumer<byte[]> speaker, Runnable clearSpeaker) {
    // snippet:listener
    LiveListener listener =
        new LiveListener() {
          @Override
          public void onAudio(ResilientLiveSession s, AudioChunk chunk) {
            speaker.accept(chunk.pcm()); // PCM16 mono, 24 kHz
          }

          @Override
          public void onInterrupted(ResilientLiveSession s) {
            clearSpeaker.run(); // the user spoke: drop what is queued for playback
          }

          @Override
          public void onInputTranscript(ResilientLiveSession s, String text) {
            System.out.println("user: " + text);
          }

          @Override
          public void onFailure(ResilientLiveSession s, LiveException failure) {
            System.err.println("call ended: " + failure.getMessage());
          }
        };
    // end:listener
    return listener;
  }

  static void sendAudio(ResilientLiveSession session, byte[] pcm16kMono20ms) {
    // snippet:send-audio
    session.sendAudio(pcm16kMono20ms); // never blocks; sent in call order
    session.endAudioStream(); // the microphone was muted: lets the service end the turn
    // end:send-audio
  }

  static String mint() {
    // snippet:mint-token
    EphemeralTokenService tokens =
        EphemeralTokenService.builder().apiKey(System.getenv("GEMINI_API_KEY")).uses(2).build();
    SessionSpec spec =
        ResilientLiveSession.builder()
            .apiKey("unused") // the browser connects with the token instead
            .systemInstruction(CoachInstruction.laura())
            .build();
    EphemeralToken token = tokens.mint(spec); // locked to the spec's model and setup
    return token.toJson(); // {"accessToken": "auth_tokens/...", "model": ..., ...}
    // end:mint-token
  }

  static void auth(Supplier<String> tokenMinter) {
    LiveSessionBuilder builder = ResilientLiveSession.builder();
    // snippet:auth
    builder.apiKey(System.getenv("GEMINI_API_KEY")); // Gemini API
    builder.ephemeralTokens(tokenMinter); // a fresh "auth_tokens/..." for every connection
    builder.vertexAi("my-project", "us-central1"); // Vertex AI, application default credentials
    // end:auth
  }

  static void connectAsync(
      LiveListener listener,
      Map<String, ResilientLiveSession> calls,
      String callId,
      Consumer<String> hangUp) {
    // snippet:connect-async
    CompletableFuture<ResilientLiveSession> opening =
        ResilientLiveSession.builder()
            .apiKey(System.getenv("GEMINI_API_KEY"))
            .persona("You are Robin, the receptionist of a small dental practice.")
            .listener(listener)
            .connectAsync(); // returns at once; caller audio can be buffered meanwhile
    opening.whenComplete(
        (session, failure) -> {
          if (failure != null) {
            hangUp.accept(failure.getMessage()); // a LiveConnectException (or LiveAuthException)
          } else {
            calls.put(callId, session);
          }
        });
    // end:connect-async
  }

  static void baseUrl(LiveSessionBuilder builder, OkHttpClient companyHttpClient) {
    // snippet:base-url
    builder
        .baseUrl("https://gemini-gateway.example.internal") // the API path is appended
        .httpClient(companyHttpClient); // proxies, TLS trust and pools for the WebSocket
    // end:base-url
  }
}
