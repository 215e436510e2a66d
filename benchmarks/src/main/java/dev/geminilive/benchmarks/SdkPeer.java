package dev.geminilive.benchmarks;

import com.google.genai.AsyncSession;
import com.google.genai.Client;
import com.google.genai.types.Blob;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveSendRealtimeInputParameters;
import com.google.genai.types.LiveSendToolResponseParameters;
import com.google.genai.types.LiveServerMessage;
import com.google.genai.types.Modality;
import com.google.genai.types.Part;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The raw SDK as a compared client: google-genai's {@code AsyncSession}, its sends chained or not.
 * Sends come from one thread per peer at a time; received frames are handled on the SDK's thread.
 */
final class SdkPeer implements Peers.Peer {
  private final AsyncSession session;
  private final boolean chained;
  // Caller thread only (the benchmarks send from one thread per peer at a time).
  private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

  private SdkPeer(AsyncSession session, boolean chained) {
    this.session = session;
    this.chained = chained;
  }

  static CompletableFuture<SdkPeer> connectAsync(
      Client client, Peers.Sink sink, boolean chained, boolean answerTools) {
    LiveConnectConfig config =
        LiveConnectConfig.builder().responseModalities(Modality.Known.AUDIO).build();
    CompletableFuture<SdkPeer> result = new CompletableFuture<>();
    // receive() is registered in a stage attached at once (SDK-GAPS Q3), so no frame is lost.
    client
        .async
        .live
        .connect(Peers.MODEL, config)
        .thenAccept(
            s -> {
              s.receive(m -> onMessage(s, m, sink, answerTools));
              result.complete(new SdkPeer(s, chained));
            })
        .exceptionally(
            e -> {
              result.completeExceptionally(e);
              return null;
            });
    return result;
  }

  static SdkPeer connect(Client client, Peers.Sink sink, boolean chained, boolean answerTools)
      throws Exception {
    return connectAsync(client, sink, chained, answerTools).get(10, TimeUnit.SECONDS);
  }

  private static void onMessage(
      AsyncSession s, LiveServerMessage m, Peers.Sink sink, boolean answerTools) {
    m.serverContent()
        .ifPresent(
            c -> {
              c.modelTurn()
                  .flatMap(t -> t.parts())
                  .ifPresent(
                      parts -> {
                        for (Part p : parts) {
                          p.inlineData().flatMap(Blob::data).ifPresent(sink::onAudio);
                        }
                      });
              if (c.turnComplete().orElse(false)) {
                sink.onTurnComplete();
              }
            });
    if (answerTools) {
      m.toolCall()
          .flatMap(t -> t.functionCalls())
          .ifPresent(
              calls -> {
                for (FunctionCall call : calls) {
                  Object x = call.args().map(a -> a.get("x")).orElse("");
                  s.sendToolResponse(
                      LiveSendToolResponseParameters.builder()
                          .functionResponses(
                              FunctionResponse.builder()
                                  .id(call.id().orElse(""))
                                  .name(call.name().orElse(""))
                                  .response(Map.of("result", String.valueOf(x))))
                          .build());
                }
              });
    }
    sink.onFrame();
  }

  @Override
  public void sendAudio(byte[] pcm) {
    LiveSendRealtimeInputParameters p =
        LiveSendRealtimeInputParameters.builder()
            .audio(Blob.builder().data(pcm).mimeType("audio/pcm;rate=16000").build())
            .build();
    if (chained) {
      last = last.thenCompose(v -> session.sendRealtimeInput(p));
    } else {
      session.sendRealtimeInput(p);
    }
  }

  @Override
  public void sendText(String text) {
    LiveSendRealtimeInputParameters p =
        LiveSendRealtimeInputParameters.builder().text(text).build();
    if (chained) {
      last = last.thenCompose(v -> session.sendRealtimeInput(p));
    } else {
      session.sendRealtimeInput(p);
    }
  }

  @Override
  public void close() {
    session.close();
  }
}
