package dev.geminilive.examples.docs;

import dev.geminilive.LiveAuthException;
import dev.geminilive.LiveConfigException;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;

/** Compiled sources of docs/troubleshooting.md. */
final class TroubleshootingSnippets {
  private TroubleshootingSnippets() {}

  static void connect(LiveSessionBuilder builder) {
    // snippet:troubleshooting-connect
    try (ResilientLiveSession session = builder.connect()) {
      session.sendText("hello");
    } catch (LiveConfigException e) {
      // Thrown by build()/connect() before anything is sent: the model cannot run this spec.
      System.err.println("fix setting '" + e.field() + "': " + e.getMessage());
    } catch (LiveAuthException e) {
      System.err.println("check the key or token: " + e.getMessage());
    } catch (LiveConnectException e) {
      // The first connection is never retried; the message carries close code and reason.
      System.err.println(
          "close " + e.closeCode() + " (" + e.closeReason() + "), retryable=" + e.isRetryable());
    }
    // end:troubleshooting-connect
  }
}
