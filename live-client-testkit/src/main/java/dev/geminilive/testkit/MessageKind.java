package dev.geminilive.testkit;

/**
 * What a recorded client message carries, decided by its top-level and realtime keys.
 *
 * @since 0.1.0
 */
public enum MessageKind {
  /** {@code setup}: the first message of a connection. */
  SETUP,
  /** {@code realtimeInput.audio}. */
  REALTIME_AUDIO,
  /** {@code realtimeInput.text}. */
  REALTIME_TEXT,
  /** {@code realtimeInput.video}. */
  REALTIME_VIDEO,
  /** {@code realtimeInput.activityStart} (manual activity detection). */
  ACTIVITY_START,
  /** {@code realtimeInput.activityEnd} (manual activity detection). */
  ACTIVITY_END,
  /** {@code realtimeInput.audioStreamEnd}. */
  AUDIO_STREAM_END,
  /** {@code clientContent}. */
  CLIENT_CONTENT,
  /** {@code toolResponse}. */
  TOOL_RESPONSE,
  /** The deprecated {@code realtimeInput.mediaChunks}. */
  MEDIA_CHUNKS,
  /**
   * {@code contextUpdate}: a new system instruction and/or tools mid-session (gemini-3.8 models;
   * other models close the connection with 1007).
   *
   * @since 0.1.0
   */
  CONTEXT_UPDATE,
  /** Anything else, including frames that are not JSON objects. */
  UNKNOWN
}
