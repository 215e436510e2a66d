package dev.geminilive.internal;

import dev.geminilive.LiveConfigException;
import dev.geminilive.LiveScheduler;
import dev.geminilive.SessionSpec;
import dev.geminilive.Turn;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The session's send path: turns what the user sends (audio, text, video, activity signals,
 * history) into {@link Outgoing} messages, tells the state machine of those that ask for a reply,
 * and queues them on the {@link OutboundQueue}.
 *
 * <p><b>Threads.</b> Safe for use from any thread: every method runs on the caller's thread, and
 * the {@link OutboundQueue}'s lock orders the messages. Only the watchdog's notice goes through the
 * session's queue.
 */
final class InputSender {
  private final SessionSpec spec;
  private final LiveScheduler scheduler;
  private final SerialQueue queue;
  private final OutboundQueue outbound;
  private final ConversationLog conversation;
  private final SessionCore core;
  private final SessionObserver observer;
  private final DroppedInput dropReport;

  InputSender(
      SessionSpec spec,
      SerialQueue queue,
      OutboundQueue outbound,
      ConversationLog conversation,
      SessionCore core,
      SessionObserver observer,
      DroppedInput dropReport) {
    this.spec = spec;
    this.scheduler = spec.scheduler();
    this.queue = queue;
    this.outbound = outbound;
    this.conversation = conversation;
    this.core = core;
    this.observer = observer;
    this.dropReport = dropReport;
  }

  CompletableFuture<Void> audio(byte[] pcm16k) {
    Objects.requireNonNull(pcm16k, "pcm16k");
    if (pcm16k.length % 2 != 0) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "PCM16 audio must have an even number of bytes; got " + pcm16k.length));
    }
    if (pcm16k.length == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return send(
        Outgoing.Kind.AUDIO, Frames.audio(pcm16k, 0, pcm16k.length), false, conversation.speech());
  }

  CompletableFuture<Void> audio(ByteBuffer pcm16k) {
    Objects.requireNonNull(pcm16k, "pcm16k");
    byte[] bytes = new byte[pcm16k.remaining()];
    pcm16k.get(bytes);
    return audio(bytes);
  }

  CompletableFuture<Void> text(String text) {
    Objects.requireNonNull(text, "text");
    return send(Outgoing.Kind.TEXT, Frames.text(text), true, conversation.userText(text));
  }

  CompletableFuture<Void> videoFrame(byte[] jpeg) {
    Objects.requireNonNull(jpeg, "jpeg");
    return send(Outgoing.Kind.VIDEO, Frames.video(jpeg), false, conversation.nextSeq());
  }

  CompletableFuture<Void> audioStreamEnd() {
    return send(Outgoing.Kind.CONTROL, Frames.audioStreamEnd(), true, conversation.nextSeq());
  }

  CompletableFuture<Void> activityStart() {
    return send(Outgoing.Kind.CONTROL, Frames.activityStart(), false, conversation.speech());
  }

  CompletableFuture<Void> activityEnd() {
    return send(Outgoing.Kind.CONTROL, Frames.activityEnd(), true, conversation.nextSeq());
  }

  CompletableFuture<Void> history(List<Turn> turns, boolean turnComplete) {
    Objects.requireNonNull(turns, "turns");
    if (outbound.isTerminal()) {
      return CompletableFuture.failedFuture(outbound.closedException());
    }
    if (!spec.profile().clientContentAnytime()) {
      return CompletableFuture.failedFuture(
          new LiveConfigException(
              "sendHistory",
              spec.model()
                  + " accepts client content only as the initial history, and is reported to close"
                  + " the session (1007) when it arrives later. Seed history with"
                  + " LiveSessionBuilder.history(...) and send user text with sendText(...), or"
                  + " use a model that takes client content at any time (gemini-3.8-live)."));
    }
    long seq = conversation.nextSeq();
    for (Turn t : turns) {
      conversation.sentTurn(t);
    }
    return send(
        Outgoing.Kind.CLIENT_CONTENT, Frames.clientContent(turns, turnComplete), turnComplete, seq);
  }

  /** Sends the greeting that makes the agent speak first, if there is one. */
  void greet() {
    String g = spec.greeting();
    if (g == null) {
      return;
    }
    boolean asContent = spec.profile().clientContentAnytime();
    send(
        new Outgoing(
            asContent ? Outgoing.Kind.CLIENT_CONTENT : Outgoing.Kind.TEXT,
            asContent ? Frames.clientContent(List.of(Turn.user(g)), true) : Frames.text(g),
            true,
            Set.of(),
            Long.MAX_VALUE,
            scheduler.nanoTime()));
  }

  /** The answer to the tool calls {@code ids}. */
  CompletableFuture<Void> toolResponse(String json, Set<String> ids) {
    return send(Outgoing.toolResponse(json, ids, scheduler.nanoTime()));
  }

  /** A context update's message. */
  CompletableFuture<Void> contextUpdate(String json) {
    return send(Outgoing.contextUpdate(json, scheduler.nanoTime()));
  }

  private CompletableFuture<Void> send(
      Outgoing.Kind kind, String json, boolean asksReply, long logSeq) {
    return send(new Outgoing(kind, json, asksReply, Set.of(), logSeq, scheduler.nanoTime()));
  }

  private CompletableFuture<Void> send(Outgoing o) {
    if (o.asksReply) {
      core.requestSent(o.createdNanos);
      observer.replyRequested();
    }
    OutboundQueue.Dropped dropped = outbound.enqueue(o, o.createdNanos);
    if (dropped != null) {
      dropReport.report(dropped);
    }
    if (o.asksReply) {
      queue.execute(core.watch()::expecting);
    }
    return o.future;
  }
}
