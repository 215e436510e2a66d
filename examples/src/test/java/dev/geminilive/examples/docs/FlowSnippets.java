package dev.geminilive.examples.docs;

import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.flow.FlowPosition;
import dev.geminilive.flow.StageChange;
import dev.geminilive.testkit.Script;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Compiled sources of docs/flows.md; {@code FlowSnippetsTest} runs them against the fake. */
final class FlowSnippets {
  private FlowSnippets() {}

  /** Shows each stage change in the application's UI. */
  static final class StageBanner implements LiveListener {
    final List<String> shown = new java.util.concurrent.CopyOnWriteArrayList<>();

    // snippet:flow-listener
    @Override
    public void onStageChanged(ResilientLiveSession session, StageChange change) {
      // from, to, why (the tool that succeeded, the model's next_step, the application) and what
      // was carried into the new stage's instruction
      shown.add(change.from() + " -> " + change.to() + " because " + change.trigger());
    }
    // end:flow-listener
  }

  static CompletableFuture<Void> inspect(ResilientLiveSession session, boolean clientAskedToBook) {
    // snippet:flow-position
    FlowPosition position = session.flow().orElseThrow();
    String stage = position.stage().name(); // "discussion"
    List<StageChange> history = position.history(); // intake -> discussion, ...
    Map<String, String> known = position.carried(); // client_id, full_name, state, summary
    if (clientAskedToBook && stage.equals("discussion")) {
      return position.moveTo("action_items"); // by the stage's declared transition
    }
    // end:flow-position
    return position.entered();
  }

  static void refusalScript(Script s) {
    // snippet:flow-script
    s.onText("Book me for Thursday")
        .callTool("schedule_appointment", Map.of("client_id", "", "appointment_datetime", "x"))
        .onToolResponse("schedule_appointment")
        // The flow refused the call: the script sees the status the model would read.
        .reply((turn, r) -> r.say("status: " + turn.toolStatus().orElse("ran")));
    // end:flow-script
  }
}
