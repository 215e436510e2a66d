package dev.geminilive.internal;

import java.text.MessageFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * A {@code java.util.logging} handler on the SDK's {@code com.google.genai.AsyncLive} logger: the
 * only non-reflective way to learn the close code and reason the service sent, because the SDK's
 * session logs them and tells nobody else (SDK-GAPS Q4, option 2).
 *
 * <p><b>Mapping records to connections.</b> The SDK logs "closing/closed with code" and transport
 * failures synchronously on the OkHttp reader thread of the connection concerned. {@link SdkGate}
 * tells this bridge which thread reads for which connection, so a record published on a known
 * reader thread belongs to that connection. Records from other threads (ping and writer failures,
 * connect-time warnings) are only forwarded; the socket watch and the ping interval detect those
 * deaths. Everything here is best effort: it depends on the SDK's log wording and levels, and a
 * missed record only delays detection to the socket close or the next failed ping.
 *
 * <p><b>Output.</b> While at least one SDK connection is open, the logger's parent handlers are
 * turned off (the SDK otherwise prints several lines to stderr per session, with stack traces for
 * each transport failure, Q8) and its level is lowered to INFO if it was higher (so the close
 * records are published at all). Every record is forwarded to slf4j instead: records this bridge
 * turned into a close report at DEBUG, other SEVERE records at WARN, the rest at DEBUG. Both
 * settings are restored when the last SDK connection ends. An application that also uses the SDK's
 * Live API directly sees its records in slf4j during that time, not on stderr.
 *
 * <p>Thread-safe; the one instance lives for the JVM.
 */
final class SdkLogBridge extends Handler {
  /** The SDK's logger name (the class name of {@code AsyncLive}). */
  static final String LOGGER_NAME = "com.google.genai.AsyncLive";

  private static final org.slf4j.Logger log = LoggerFactory.getLogger(SdkLogBridge.class);
  private static final SdkLogBridge INSTANCE = new SdkLogBridge();
  // Held strongly: JUL keeps loggers only weakly, and a collected logger would lose the handler.
  private static final Logger SDK_LOGGER = Logger.getLogger(LOGGER_NAME);

  /** What a connection learns from the SDK's log records. */
  interface Target {
    /** The SDK logged that the service's close frame arrived (or the close completed). */
    void closeFrame(int code, String reason);

    /** The SDK logged a transport failure on this connection's reader thread. */
    void transportFailure(Throwable failure);
  }

  private final Map<Thread, Target> readers = new ConcurrentHashMap<>();
  // Guarded by SdkLogBridge.class.
  private static int users;
  private static boolean savedUseParentHandlers;
  private static @Nullable Level savedLevel;

  private SdkLogBridge() {}

  /** One more SDK connection: installs the handler when it is the first. */
  static void acquire() {
    synchronized (SdkLogBridge.class) {
      if (users++ == 0) {
        savedUseParentHandlers = SDK_LOGGER.getUseParentHandlers();
        savedLevel = SDK_LOGGER.getLevel();
        if (!SDK_LOGGER.isLoggable(Level.INFO)) {
          SDK_LOGGER.setLevel(Level.INFO);
        }
        SDK_LOGGER.setUseParentHandlers(false);
        SDK_LOGGER.addHandler(INSTANCE);
      }
    }
  }

  /** One SDK connection fewer: restores the logger when it was the last. */
  static void release() {
    synchronized (SdkLogBridge.class) {
      if (--users == 0) {
        SDK_LOGGER.removeHandler(INSTANCE);
        SDK_LOGGER.setUseParentHandlers(savedUseParentHandlers);
        SDK_LOGGER.setLevel(savedLevel);
      }
    }
  }

  /** {@code thread} now reads for {@code target}. */
  static void readerStarted(Thread thread, Target target) {
    INSTANCE.readers.put(thread, target);
  }

  /** {@code thread} no longer reads for anyone. */
  static void readerEnded(Thread thread) {
    INSTANCE.readers.remove(thread);
  }

  @Override
  public void publish(LogRecord record) {
    Target target = readers.get(Thread.currentThread());
    boolean used = target != null && deliver(target, record);
    String text = format(record);
    if (used || record.getLevel().intValue() < Level.SEVERE.intValue()) {
      log.debug("google-genai: {}", text, record.getThrown());
    } else {
      log.warn("google-genai: {}", text, record.getThrown());
    }
  }

  private static boolean deliver(Target target, LogRecord record) {
    String pattern = record.getMessage();
    if (pattern == null) {
      return false;
    }
    Object[] params = record.getParameters();
    if (pattern.startsWith("Live session clos")
        && params != null
        && params.length >= 2
        && params[0] instanceof Integer code) {
      target.closeFrame(code, params[1] == null ? "" : String.valueOf(params[1]));
      return true;
    }
    if (pattern.startsWith("Error during live session") && record.getThrown() != null) {
      target.transportFailure(record.getThrown());
      return true;
    }
    return false;
  }

  private static String format(LogRecord record) {
    String pattern = record.getMessage();
    Object[] params = record.getParameters();
    if (pattern == null || params == null || params.length == 0) {
      return String.valueOf(pattern);
    }
    try {
      return MessageFormat.format(pattern, params);
    } catch (IllegalArgumentException e) {
      return pattern;
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
