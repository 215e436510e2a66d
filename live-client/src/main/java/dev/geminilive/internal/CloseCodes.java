package dev.geminilive.internal;

import dev.geminilive.LiveAuthException;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveObserver.DisconnectCause;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a close code and reason from the service mean, and whether trying again can help. Based on
 * the codes and reasons the service is observed to send (see the troubleshooting guide).
 */
public final class CloseCodes {
  private CloseCodes() {}

  /** Whether a close says the resumption handle is unknown or expired. */
  public static boolean isHandleRefused(int code, String reason) {
    String r = reason.toLowerCase(Locale.ROOT);
    return code == 1008 && (r.contains("session not found") || r.contains("handle"));
  }

  /** Whether a close says an ephemeral token is used up or expired. */
  public static boolean isTokenSpent(int code, String reason) {
    String r = reason.toLowerCase(Locale.ROOT);
    return r.contains("token")
        && (r.contains("used too many") || r.contains("expired") || r.contains("exhaust"));
  }

  /**
   * The exception for a connection the service ended.
   *
   * @param context what was going on, e.g. "Setup of gemini-3.1-flash-live-preview"
   * @param code the close code, 0 for none
   * @param reason the reason or failure description
   */
  public static LiveConnectException classify(
      String context, int code, String reason, @Nullable Throwable cause) {
    String r = reason.toLowerCase(Locale.ROOT);
    String what = context + ": " + describe(code, reason);
    if (isTokenSpent(code, reason)) {
      return new LiveAuthException(
          what
              + ". The ephemeral token is used up or expired; mint a new one (uses >= 2 lets a"
              + " session resume).",
          code,
          reason,
          cause);
    }
    if (r.contains("api key")
        || r.contains("api_key")
        || r.contains("unauthenticated")
        || r.contains("permission denied")
        || r.contains("invalid token")
        || r.contains("unknown token")) {
      return new LiveAuthException(what + ". Check the API key or token.", code, reason, cause);
    }
    switch (code) {
      case 1007:
        return new LiveConnectException(
            what + ". The service rejected the request as invalid; fix the session settings.",
            code,
            reason,
            false,
            cause);
      case 1008:
        if (isHandleRefused(code, reason)) {
          return new LiveConnectException(
              what + ". The resumption handle is unknown or expired.", code, reason, true, cause);
        }
        if (r.contains("aborted")) {
          return new LiveConnectException(what, code, reason, true, cause);
        }
        return new LiveConnectException(
            what
                + ". Policy violation: usually a model name that does not match the API, or a"
                + " feature the model does not support.",
            code,
            reason,
            false,
            cause);
      case 1003:
      case 1009:
        return new LiveConnectException(what, code, reason, false, cause);
      default:
        return new LiveConnectException(what, code, reason, true, cause);
    }
  }

  /**
   * The exception for a connect whose host name could not be resolved, or null when {@code failure}
   * is something else. Worded as what it is: "connection lost" would send the reader looking at the
   * network instead of the base URL.
   *
   * @param context what was going on, e.g. "Connect to wss://..."
   * @param url the URL whose host was looked up
   */
  public static @Nullable LiveConnectException unresolvedHost(
      String context, String url, @Nullable Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException) {
        String host;
        try {
          host = String.valueOf(URI.create(url).getHost());
        } catch (IllegalArgumentException e) {
          host = url;
        }
        return new LiveConnectException(
            context
                + ": the host "
                + host
                + " could not be resolved (DNS). Check the base URL and the machine's network and"
                + " DNS settings.",
            0,
            String.valueOf(t.getMessage()),
            true,
            failure);
      }
    }
    return null;
  }

  /** The exception for an HTTP status that refused the WebSocket upgrade. */
  public static LiveConnectException forHttpStatus(String context, int status, String message) {
    String what = context + ": the service refused the WebSocket upgrade with HTTP " + status;
    if (status == 401 || status == 403) {
      return new LiveAuthException(what + ". Check the API key or token.", 0, message, null);
    }
    if (status == 429) {
      return new LiveConnectException(
          what + " (quota or rate limit). Try again later.", 0, message, true, null);
    }
    if (status >= 500) {
      return new LiveConnectException(what, 0, message, true, null);
    }
    return new LiveConnectException(
        what + ". Check the base URL, API version and model.", 0, message, false, null);
  }

  static String describe(int code, String reason) {
    if (code == 0) {
      return "connection lost (" + (reason.isEmpty() ? "no close frame" : reason) + ")";
    }
    return "closed with " + code + (reason.isEmpty() ? "" : " (" + reason + ")");
  }

  /**
   * What the observers are told ended a connection the service or the network closed: {@code
   * refused} when the session gives up on it, a stall the watchdog declared, a network drop (code
   * 0), or else the service's close.
   */
  static DisconnectCause disconnectCause(boolean refused, int code, String reason) {
    return refused
        ? DisconnectCause.REFUSED
        : reason.startsWith(StallWatchdog.STALLED)
            ? DisconnectCause.STALLED
            : code == 0 ? DisconnectCause.NETWORK : DisconnectCause.SERVER_CLOSE;
  }
}
