package dev.geminilive.internal;

import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.LiveObserver;
import dev.geminilive.Reconnecting;
import dev.geminilive.SessionSpec;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observers of one session behind one {@link LiveObserver}: every event goes to each, in the
 * order their factories were added, and an observer that throws is logged and skipped, so that no
 * observer can change what the session does. The session calls only this; with no factories it
 * holds no observers and every call is an empty loop. Thread-safe if the observers are.
 */
public final class SessionObserver implements LiveObserver {
  private static final Logger log = LoggerFactory.getLogger(SessionObserver.class);

  private final String sessionId;
  private final LiveObserver[] observers;

  private SessionObserver(String sessionId, LiveObserver[] observers) {
    this.sessionId = sessionId;
    this.observers = observers;
  }

  /** Creates the observers of a new session from the spec's factories. */
  public static SessionObserver create(String sessionId, SessionSpec spec) {
    List<LiveObserver> created = new ArrayList<>();
    for (LiveObserver.Factory f : spec.observers()) {
      try {
        LiveObserver o = f.create(sessionId, spec);
        if (o != null && o != LiveObserver.NONE) {
          created.add(o);
        }
      } catch (RuntimeException e) {
        log.warn("{}: the observer factory {} threw; the session runs without it", sessionId, f, e);
      }
    }
    return new SessionObserver(sessionId, created.toArray(new LiveObserver[0]));
  }

  /** Whether any observer is attached (callers may skip work that only observers need). */
  public boolean isEmpty() {
    return observers.length == 0;
  }

  private void threw(String event, RuntimeException e) {
    log.warn("{}: LiveObserver.{} threw; ignored", sessionId, event, e);
  }

  @Override
  public void connectionStarted(int connection, boolean resuming) {
    for (LiveObserver o : observers) {
      try {
        o.connectionStarted(connection, resuming);
      } catch (RuntimeException e) {
        threw("connectionStarted", e);
      }
    }
  }

  @Override
  public void connectionOpened(int connection, @Nullable String serviceSessionId) {
    for (LiveObserver o : observers) {
      try {
        o.connectionOpened(connection, serviceSessionId);
      } catch (RuntimeException e) {
        threw("connectionOpened", e);
      }
    }
  }

  @Override
  public void connectionFailed(int connection, LiveException error) {
    for (LiveObserver o : observers) {
      try {
        o.connectionFailed(connection, error);
      } catch (RuntimeException e) {
        threw("connectionFailed", e);
      }
    }
  }

  @Override
  public void connectionClosed(
      int connection, DisconnectCause cause, int closeCode, String reason) {
    for (LiveObserver o : observers) {
      try {
        o.connectionClosed(connection, cause, closeCode, reason);
      } catch (RuntimeException e) {
        threw("connectionClosed", e);
      }
    }
  }

  @Override
  public void goAway(Duration timeLeft) {
    for (LiveObserver o : observers) {
      try {
        o.goAway(timeLeft);
      } catch (RuntimeException e) {
        threw("goAway", e);
      }
    }
  }

  @Override
  public void reconnecting(Reconnecting event) {
    for (LiveObserver o : observers) {
      try {
        o.reconnecting(event);
      } catch (RuntimeException e) {
        threw("reconnecting", e);
      }
    }
  }

  @Override
  public void reconnected(ContextRestoration restoration) {
    for (LiveObserver o : observers) {
      try {
        o.reconnected(restoration);
      } catch (RuntimeException e) {
        threw("reconnected", e);
      }
    }
  }

  @Override
  public void replyRequested() {
    for (LiveObserver o : observers) {
      try {
        o.replyRequested();
      } catch (RuntimeException e) {
        threw("replyRequested", e);
      }
    }
  }

  @Override
  public void modelTurnStarted(boolean audio) {
    for (LiveObserver o : observers) {
      try {
        o.modelTurnStarted(audio);
      } catch (RuntimeException e) {
        threw("modelTurnStarted", e);
      }
    }
  }

  @Override
  public void interrupted() {
    for (LiveObserver o : observers) {
      try {
        o.interrupted();
      } catch (RuntimeException e) {
        threw("interrupted", e);
      }
    }
  }

  @Override
  public void turnComplete(@Nullable String reason) {
    for (LiveObserver o : observers) {
      try {
        o.turnComplete(reason);
      } catch (RuntimeException e) {
        threw("turnComplete", e);
      }
    }
  }

  @Override
  public void usage(Usage usage) {
    for (LiveObserver o : observers) {
      try {
        o.usage(usage);
      } catch (RuntimeException e) {
        threw("usage", e);
      }
    }
  }

  @Override
  public void toolCallStarted(ToolCallEvent call) {
    for (LiveObserver o : observers) {
      try {
        o.toolCallStarted(call);
      } catch (RuntimeException e) {
        threw("toolCallStarted", e);
      }
    }
  }

  @Override
  public void toolCallEnded(ToolCallEvent call, ToolOutcome outcome, Duration elapsed) {
    for (LiveObserver o : observers) {
      try {
        o.toolCallEnded(call, outcome, elapsed);
      } catch (RuntimeException e) {
        threw("toolCallEnded", e);
      }
    }
  }

  @Override
  public void audioDropped(int chunks) {
    for (LiveObserver o : observers) {
      try {
        o.audioDropped(chunks);
      } catch (RuntimeException e) {
        threw("audioDropped", e);
      }
    }
  }

  @Override
  public void messagesReplayed(int messages) {
    for (LiveObserver o : observers) {
      try {
        o.messagesReplayed(messages);
      } catch (RuntimeException e) {
        threw("messagesReplayed", e);
      }
    }
  }

  @Override
  public void sessionEnded(@Nullable LiveException failure) {
    for (LiveObserver o : observers) {
      try {
        o.sessionEnded(failure);
      } catch (RuntimeException e) {
        threw("sessionEnded", e);
      }
    }
  }

  @Override
  public Scope toolExecution(ToolCallEvent call) {
    if (observers.length == 0) {
      return Scope.NONE;
    }
    List<Scope> scopes = new ArrayList<>(observers.length);
    for (LiveObserver o : observers) {
      try {
        Scope s = o.toolExecution(call);
        if (s != null) {
          scopes.add(s);
        }
      } catch (RuntimeException e) {
        threw("toolExecution", e);
      }
    }
    return () -> {
      // Closed in reverse, as nested scopes must be.
      for (int i = scopes.size() - 1; i >= 0; i--) {
        try {
          scopes.get(i).close();
        } catch (RuntimeException e) {
          threw("toolExecution scope close", e);
        }
      }
    };
  }
}
