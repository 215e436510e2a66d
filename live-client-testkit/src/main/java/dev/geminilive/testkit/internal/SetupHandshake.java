package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.testkit.ServerEffect;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The setup exchange of a fake connection, as the service runs it: checks the setup, resumes or
 * starts the session and answers {@code setupComplete}. Runs on the server's model thread;
 * stateless. A resume is refused while the previous connection's socket is open, and otherwise
 * begins by ending that connection (its detach), whether or not its end has reached this thread.
 */
final class SetupHandshake {
  private SetupHandshake() {}

  /**
   * Answers {@code conn}'s first message, its {@code setup}: a scripted setup fault, a close for
   * what the service refuses (unknown model, text from a native-audio model, an unknown or busy
   * handle, a spent or expired token), or {@code setupComplete} for a new or resumed session.
   */
  static void answer(ConnectionEngine conn, ObjectNode clientSetup) {
    ServerEngine server = conn.server();
    @Nullable TokenGrant token = conn.token();
    ServerEffect instead = server.faults().takeSetupEffect();
    if (instead instanceof ServerEffect.SendRaw raw) {
      // Written now, in order, rather than queued behind this task.
      conn.write(raw.frame());
      return;
    }
    if (instead != null) {
      conn.apply(instead);
      return;
    }
    ObjectNode setup = token == null ? clientSetup : token.apply(clientSetup);
    String model = setup.path("model").asText("");
    // "models/X" on the Gemini API, "projects/P/locations/L/publishers/google/models/X" on Vertex
    // AI.
    int models = model.lastIndexOf("models/");
    String modelId = models >= 0 ? model.substring(models + "models/".length()) : model;
    if (!server.isKnownModel(modelId)) {
      conn.closeWith(
          1008,
          model
              + " is not found for API version "
              + conn.apiVersion()
              + ", or is not supported for bidiGenerateContent.",
          false);
      return;
    }
    boolean textModality = false;
    for (JsonNode m : setup.path("generationConfig").path("responseModalities")) {
      textModality |= m.asText().equalsIgnoreCase("TEXT");
    }
    if (textModality && modelId.contains("native-audio")) {
      conn.closeWith(1007, "Cannot extract voices from a non-audio request.", false);
      return;
    }
    conn.configure(ModelBehaviour.of(modelId), setup);
    String handle = setup.path("sessionResumption").path("handle").asText("");
    SessionEngine s;
    if (!handle.isEmpty()) {
      ServerEngine.HandleRecord rec = server.lookupHandle(handle);
      if (rec == null) {
        conn.closeWith(1008, "BidiGenerateContent session not found", false);
        return;
      }
      ConnectionEngine previous = rec.session().current();
      if (previous != null && previous.isOpen()) {
        conn.closeWith(1011, "Internal error encountered.", false);
        return;
      }
      if (token != null && server.config().resumeConsumesTokenUse() && !token.consumeUse()) {
        conn.closeWith(1011, "Token has been used too many times", false);
        return;
      }
      s = rec.session();
      if (previous != null) {
        // Its socket has closed, and its end, queued for this thread a step later, may not have
        // run yet: end it here, so the resume always starts from what the end leaves (no reply
        // under way, no call open). The end that comes later finds another connection current.
        s.detach(previous);
      }
      s.attach(conn, setup, rec.historySize(), rec.setup());
    } else {
      if (token != null) {
        if (token.newSessionExpireTime != null
            && server.clock().instant().isAfter(token.newSessionExpireTime)) {
          conn.closeWith(1008, "API key expired. Please renew the API key.", false);
          return;
        }
        if (!token.consumeUse()) {
          conn.closeWith(1011, "Token has been used too many times", false);
          return;
        }
      }
      s = server.newSession(conn, modelId, setup);
    }
    conn.established(s);
    ObjectNode complete = Json.object();
    ObjectNode body = complete.putObject("setupComplete");
    if (server.config().sessionIdInSetupComplete()) {
      body.put("sessionId", s.id());
    }
    conn.send(complete);
    Duration afterSetupDelay = server.faults().afterSetupDelay();
    ServerEffect afterSetup = server.faults().afterSetupEffect();
    if (afterSetupDelay != null && afterSetup != null) {
      conn.applyAfter(afterSetupDelay, afterSetup);
    }
  }
}
