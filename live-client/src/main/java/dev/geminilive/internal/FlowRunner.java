package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.ContextUpdate;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionSpec;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.flow.CarryOver;
import dev.geminilive.flow.Flow;
import dev.geminilive.flow.FlowPosition;
import dev.geminilive.flow.Stage;
import dev.geminilive.flow.StageChange;
import dev.geminilive.flow.Transition;
import dev.geminilive.flow.Trigger;
import dev.geminilive.tools.ToolStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's position in its {@link Flow}, and the part of the tool loop that keeps the model to
 * the current stage.
 *
 * <p>As a {@link ToolLoop} around the session's own, it answers itself the calls the flow refuses
 * (a tool of another stage; a tool whose {@code requires} have not succeeded in the conversation,
 * checked across stages) with a {@link ToolStatus} in the tool loop's error shape, and passes the
 * others on. It learns each call's outcome from the session's tool results ({@link #onResult}); a
 * call that triggers a transition (a stage tool that succeeded, {@value Flow#NEXT_STEP_TOOL}) moves
 * the flow <em>after</em> the answer of its {@code toolCall} was handed to the send path, so the
 * context update follows the tool response in the conversation; hand-over and move happen under
 * this object's lock, so a call the answer prompts is judged against the new stage, not the one it
 * leaves. Entering a stage calls the session's {@code updateContext} under this object's lock, so
 * stage changes reach the send path in the order they happen, and posts {@code onStageChanged} to
 * the listener.
 *
 * <p>Thread-safe: the session's queue dispatches calls, tool threads report results and answers,
 * the application reads the position and calls {@link #moveTo}; the state below is guarded by
 * {@code this}.
 */
final class FlowRunner implements FlowPosition {
  private static final Logger log = LoggerFactory.getLogger(FlowRunner.class);

  /** Results of calls in flight are remembered by id for at most this many calls. */
  private static final int MAX_CALLS_IN_FLIGHT = 512;

  private final Flow flow;
  private final ResilientLiveSession session;
  private final Function<ContextUpdate, CompletableFuture<Void>> updateContext;
  private final ListenerDispatcher events;

  // Guarded by this.
  private Stage stage;
  private final List<StageChange> history = new ArrayList<>();
  private final Map<String, String> carried = new LinkedHashMap<>();
  private final Map<String, JsonNode> gathered = new LinkedHashMap<>();
  private final Map<String, JsonNode> newestResults = new HashMap<>();
  private final Set<String> succeeded = new HashSet<>();
  private final Set<String> visited = new HashSet<>();
  private CompletableFuture<Void> entered = CompletableFuture.completedFuture(null);

  /** The stage each call in flight was made in, by call id; guarded by this. */
  private final Map<String, String> stageOfCall = new LinkedHashMap<>();

  /** Transitions waiting for their call's answer to be handed over, by call id; guarded by this. */
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  /** Messages in flight with refused and passed calls, by call id; guarded by this. */
  private final Map<String, MixedMessage> mixedByCall = new HashMap<>();

  FlowRunner(
      Flow flow,
      ResilientLiveSession session,
      Function<ContextUpdate, CompletableFuture<Void>> updateContext,
      ListenerDispatcher events) {
    this.flow = flow;
    this.session = session;
    this.updateContext = updateContext;
    this.events = events;
    this.stage = flow.start();
    this.visited.add(stage.name());
  }

  // ------------------------------------------------------------------ FlowPosition

  @Override
  public Flow flow() {
    return flow;
  }

  @Override
  public synchronized Stage stage() {
    return stage;
  }

  @Override
  public synchronized List<StageChange> history() {
    return List.copyOf(history);
  }

  @Override
  public synchronized Map<String, String> carried() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(carried));
  }

  @Override
  public synchronized CompletableFuture<Void> entered() {
    // A copy: completing it must not change the session's own future.
    return entered.thenApply(v -> v);
  }

  @Override
  public CompletableFuture<Void> moveTo(String target) {
    Objects.requireNonNull(target, "target");
    synchronized (this) {
      Transition t =
          stage
              .transitionTo(target)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "Stage '"
                              + stage.name()
                              + "' has no transition to '"
                              + target
                              + "'; its transitions lead to "
                              + targets(stage)
                              + ". Declare one with Transition.to(\""
                              + target
                              + "\").onRequest()."));
      return enterLocked(t, Trigger.requested(), null);
    }
  }

  @Override
  public String toString() {
    return "FlowPosition[" + stage().name() + ", " + history().size() + " change(s)]";
  }

  // ------------------------------------------------------------------ the tool loop

  /** {@return the session's tool loop with this flow's refusals and transitions around it} */
  ToolLoop wrap(ToolLoop inner, ToolLoop.ToolResults results) {
    return new Gate(inner, results);
  }

  /**
   * A call finished ({@code {"output": ...}} or {@code {"error": ...}}): records a success, gathers
   * its fields and notes the transition it triggers, which {@link #afterAnswer} makes. Called on a
   * tool thread, before the call's answer is handed over.
   */
  void onResult(String id, String name, JsonNode args, JsonNode response) {
    JsonNode output = response.get("output");
    synchronized (this) {
      String madeIn = stageOfCall.remove(id);
      if (output == null || FlowRefusals.isStatus(output)) {
        return;
      }
      succeeded.add(name);
      newestResults.put(name, output);
      args.fields().forEachRemaining(e -> gathered.put(e.getKey(), e.getValue()));
      if (output.isObject() && !name.equals(Flow.NEXT_STEP_TOOL)) {
        output.fields().forEachRemaining(e -> gathered.put(e.getKey(), e.getValue()));
      }
      Stage at = madeIn != null ? flow.stage(madeIn).orElse(stage) : stage;
      Transition t = triggered(at, name, output);
      if (t != null) {
        pending.put(
            id,
            new Pending(
                at.name(),
                t,
                name.equals(Flow.NEXT_STEP_TOOL) ? t.trigger() : Trigger.toolSucceeded(name),
                args.path(Flow.SUMMARY).isTextual() ? args.path(Flow.SUMMARY).asText() : null));
      }
    }
  }

  private static @Nullable Transition triggered(Stage at, String name, JsonNode output) {
    if (name.equals(Flow.NEXT_STEP_TOOL)) {
      String target = output.path("moved_to").asText("");
      for (Transition t : at.nextSteps()) {
        if (t.target().equals(target)) {
          return t;
        }
      }
      return null;
    }
    for (Transition t : at.transitions()) {
      if (t.trigger() instanceof Trigger.ToolSucceeded ts && ts.tool().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** The answer of the calls {@code ids} was handed over: makes the transitions they triggered. */
  private void afterAnswer(List<String> ids) {
    synchronized (this) {
      for (String id : ids) {
        Pending p = pending.remove(id);
        if (p == null) {
          continue;
        }
        if (!p.from().equals(stage.name())) {
          // Another call of the same stage moved the flow first; this one no longer applies.
          log.debug(
              "Session {}: {} would leave stage {}, but the flow is in {} now",
              session.name(),
              p.trigger(),
              p.from(),
              stage.name());
          continue;
        }
        enterLocked(p.transition(), p.trigger(), p.summary());
      }
    }
  }

  /** Enters the transition's target; the caller holds the lock. */
  private CompletableFuture<Void> enterLocked(Transition t, Trigger why, @Nullable String summary) {
    Map<String, String> added = new LinkedHashMap<>();
    for (CarryOver c : t.carried()) {
      if (c instanceof CarryOver.Fields f) {
        for (String name : f.names()) {
          JsonNode v = gathered.get(name);
          if (v != null) {
            added.put(name, text(v));
          }
        }
      } else if (c instanceof CarryOver.ToolResultAs r) {
        JsonNode v = newestResults.get(r.tool());
        if (v != null) {
          added.put(r.as(), text(v));
        }
      } else if (summary != null && !summary.isBlank()) {
        added.put(Flow.SUMMARY, summary.strip());
      }
    }
    Map<String, String> next = new LinkedHashMap<>(carried);
    next.putAll(added);
    ContextUpdate update = flow.contextOf(t.target(), next);
    String from = stage.name();
    CompletableFuture<Void> sent;
    try {
      sent = updateContext.apply(update);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    if (sent.isCompletedExceptionally()) {
      // Refused before anything was sent (a closed session, an update the model cannot take):
      // the flow stays where it is.
      log.warn("Session {}: could not enter stage {} from {}", session.name(), t.target(), from);
      return sent;
    }
    StageChange change = new StageChange(from, t.target(), why, added);
    stage = flow.stage(t.target()).orElseThrow();
    visited.add(stage.name());
    carried.clear();
    carried.putAll(next);
    history.add(change);
    entered = sent;
    log.debug("Session {}: stage {}", session.name(), change);
    events.post(l -> l.onStageChanged(session, change));
    sent.whenComplete(
        (v, e) -> {
          if (e != null) {
            log.warn(
                "Session {}: the context of stage {} was not delivered: {}",
                session.name(),
                change.to(),
                e.toString());
          }
        });
    return sent;
  }

  private static List<String> targets(Stage s) {
    List<String> out = new ArrayList<>();
    for (Transition t : s.transitions()) {
      out.add(t.target());
    }
    return out;
  }

  private static String text(JsonNode v) {
    return v.isValueNode() ? v.asText() : v.toString();
  }

  /** A transition waiting for its call's answer. */
  private record Pending(
      String from, Transition transition, Trigger trigger, @Nullable String summary) {}

  /** The session's tool loop with the flow's refusals in front and its transitions behind. */
  private final class Gate implements ToolLoop {
    private final ToolLoop inner;
    private final ToolLoop.ToolResults results;

    Gate(ToolLoop inner, ToolLoop.ToolResults results) {
      this.inner = inner;
      this.results = results;
    }

    @Override
    public CompletionStage<Void> dispatch(List<ToolCallEvent> calls, Consumer<String> respond) {
      List<ToolCallEvent> passed = new ArrayList<>();
      Map<String, ObjectNode> refused = new LinkedHashMap<>();
      List<String> ids = new ArrayList<>();
      MixedMessage mixed;
      synchronized (FlowRunner.this) {
        for (ToolCallEvent call : calls) {
          ToolStatus no = FlowRefusals.of(flow, stage, visited, succeeded, call.name());
          if (no != null) {
            ObjectNode body = FlowRefusals.errorBody(no);
            refused.put(call.id(), FlowRefusals.functionResponse(call, body));
            log.debug(
                "Session {}: refused {} (call {}): {}",
                session.name(),
                call.name(),
                call.id(),
                no.status());
            results.onResult(call.id(), call.name(), call.args(), body);
            continue;
          }
          passed.add(call);
          ids.add(call.id());
          if (stageOfCall.size() >= MAX_CALLS_IN_FLIGHT) {
            String eldest = stageOfCall.keySet().iterator().next();
            stageOfCall.remove(eldest);
          }
          stageOfCall.put(call.id(), stage.name());
        }
        boolean both = !passed.isEmpty() && !refused.isEmpty();
        mixed = both ? new MixedMessage(ids, refused, respond, mixedByCall) : null;
      }
      if (passed.isEmpty()) {
        respond.accept(FlowRefusals.toolResponse(List.copyOf(refused.values())));
        return CompletableFuture.completedFuture(null);
      }
      return inner.dispatch(
          passed,
          json -> {
            // Under the lock: the model's next call, which this answer may prompt, is judged
            // against the stage this answer moves to, never against the one it leaves.
            synchronized (FlowRunner.this) {
              if (mixed != null && !mixed.claim()) {
                // The service cancelled every call this answer is for; the refusals went alone.
                log.debug("Session {}: dropped the answer to cancelled calls", session.name());
                return;
              }
              try {
                respond.accept(mixed == null ? json : FlowRefusals.merged(json, mixed.refusals()));
              } finally {
                afterAnswer(ids);
              }
            }
          });
    }

    @Override
    public void cancel(List<String> ids) {
      synchronized (FlowRunner.this) {
        for (String id : ids) {
          stageOfCall.remove(id);
          pending.remove(id);
          MixedMessage m = mixedByCall.remove(id);
          if (m != null) {
            m.cancelled(id, session.name());
          }
        }
      }
      inner.cancel(ids);
    }

    @Override
    public void useTools(SessionSpec spec) {
      inner.useTools(spec);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
