package dev.geminilive.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One client message, from the {@code send*} call that made it until the service's state is known
 * to hold it (or the session ends). Its fields are fixed at creation, except its index, which the
 * {@link OutboundQueue} gives it under its lock.
 */
final class Outgoing {
  /** What the message is; replay and the bound treat the kinds differently. */
  enum Kind {
    /** A realtime audio chunk: dropped first when the bound is reached, not replayed once stale. */
    AUDIO,
    /** A video frame: as audio. */
    VIDEO,
    /** Realtime text. */
    TEXT,
    /** An activity signal or the end of the audio stream. */
    CONTROL,
    /** Client content (history turns). */
    CLIENT_CONTENT,
    /** A new system instruction and/or tools ({@code contextUpdate}): never dropped. */
    CONTEXT_UPDATE,
    /** The answer to one {@code toolCall}. */
    TOOL_RESPONSE
  }

  final Kind kind;
  final String json;
  // The JSON's length, kept so that the backlog's bookkeeping, which reaches old messages whose
  // text has left the cache, reads one object per message instead of three.
  private final int bytes;
  // Whether the message asks the model for a reply (text, the end of an audio turn, a tool
  // response, client content with turnComplete): such input counts as covered by a handle only
  // once the model has answered it (docs/resilience.md, "What a handle covers").
  final boolean asksReply;
  final long createdNanos;
  final CompletableFuture<Void> future = new CompletableFuture<>();
  // The tool calls a TOOL_RESPONSE answers; empty otherwise.
  final Set<String> toolCallIds;
  // Where in the conversation log this message begins (its own words or what answers it).
  final long logSeq;
  // Session-wide position; guarded by the OutboundQueue's lock until the message is handed over.
  long index = -1;

  Outgoing(
      Kind kind,
      String json,
      boolean asksReply,
      Set<String> toolCallIds,
      long logSeq,
      long createdNanos) {
    this.kind = kind;
    this.json = json;
    this.bytes = json.length();
    this.asksReply = asksReply;
    this.toolCallIds = toolCallIds;
    this.logSeq = logSeq;
    this.createdNanos = createdNanos;
  }

  /** A {@code contextUpdate}: asks no reply, never dropped, no words of its own in the log. */
  static Outgoing contextUpdate(String json, long createdNanos) {
    return new Outgoing(Kind.CONTEXT_UPDATE, json, false, Set.of(), Long.MAX_VALUE, createdNanos);
  }

  /** The answer to the tool calls {@code ids}: asks for the model's reply. */
  static Outgoing toolResponse(String json, Set<String> ids, long createdNanos) {
    return new Outgoing(Kind.TOOL_RESPONSE, json, true, ids, Long.MAX_VALUE, createdNanos);
  }

  /** The bytes it holds in the buffers (its JSON's length, as sent). */
  int bytes() {
    return bytes;
  }

  /** Whether it is realtime media, which goes stale and is dropped first. */
  boolean isMedia() {
    return kind == Kind.AUDIO || kind == Kind.VIDEO;
  }

  @Override
  public String toString() {
    return "Outgoing[" + index + " " + kind + (asksReply ? ", asks a reply" : "") + "]";
  }
}
