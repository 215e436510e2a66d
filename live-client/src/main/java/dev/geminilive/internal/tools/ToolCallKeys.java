package dev.geminilive.internal.tools;

import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Keys for tool calls inside a session: a call's key is the id the service sent, or, for a call
 * sent without one, a key of the library's own that no other call shares. The session's tool
 * bookkeeping (calls in flight, arguments, the stage a call was made in) goes by key, so calls
 * without an id never share an entry; answers and listener events carry the service's id, which is
 * none for such a call. Not API.
 *
 * <p>Thread-safe.
 */
public final class ToolCallKeys {
  /** Starts every key of the library's own; no id the service sends starts so. */
  private static final String OWN = "(no id) #";

  private static final AtomicLong NEXT = new AtomicLong();

  private ToolCallKeys() {}

  /**
   * Returns the key of a call.
   *
   * @param serviceId the id the service sent; empty or null if it sent none
   * @return {@code serviceId}, or a new key of the library's own when there is none
   */
  public static String of(@Nullable String serviceId) {
    return serviceId == null || serviceId.isEmpty() ? OWN + NEXT.incrementAndGet() : serviceId;
  }

  /**
   * Returns the service's id of a call.
   *
   * @param key the call's key, or null
   * @return the id the service sent, or null for a call it sent without one
   */
  public static @Nullable String serviceId(@Nullable String key) {
    return key == null || key.isEmpty() || key.startsWith(OWN) ? null : key;
  }

  /**
   * Returns the id the application sees for a call.
   *
   * @param key the call's key
   * @return the id the service sent, or empty for a call it sent without one
   */
  public static String publicId(String key) {
    String id = serviceId(key);
    return id == null ? "" : id;
  }
}
