package dev.geminilive.tokens;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A minted ephemeral token: its name is the credential ({@code auth_tokens/...}), to be handed to
 * one client and used on the constrained {@code v1alpha} endpoint.
 *
 * <p>{@link #toString()} never shows the name; {@link #toJson()} does, for the response to the
 * client that asked for it.
 *
 * @param name the token ({@code auth_tokens/...}); a secret
 * @param model the model the token is locked to
 * @param expiresAt when messages on sessions opened with it stop being accepted
 * @param newSessionExpiresAt until when it can open a new session
 * @param uses how many sessions it can open (0 = unlimited)
 * @since 0.1
 */
public record EphemeralToken(
    String name, String model, Instant expiresAt, Instant newSessionExpiresAt, int uses) {

  /**
   * Checks the arguments.
   *
   * @param name the token ({@code auth_tokens/...}); a secret
   * @param model the model the token is locked to
   * @param expiresAt when messages on sessions opened with it stop being accepted
   * @param newSessionExpiresAt until when it can open a new session
   * @param uses how many sessions it can open (0 = unlimited)
   */
  public EphemeralToken {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(newSessionExpiresAt, "newSessionExpiresAt");
    if (!name.startsWith("auth_tokens/")) {
      throw new IllegalArgumentException("an ephemeral token name starts with auth_tokens/");
    }
  }

  /**
   * The JSON a browser needs: {@code {"accessToken": ..., "model": ..., "expiresAt": ...}}.
   * Contains the secret: send it only to the client it was minted for.
   *
   * @return a JSON object with the token name, the model and the expiry time (ISO-8601); it
   *     contains the secret
   */
  public String toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("accessToken", name);
    json.put("model", model);
    json.put("expiresAt", expiresAt.toString());
    return json.toString();
  }

  @Override
  public String toString() {
    return "EphemeralToken[name=auth_tokens/…redacted, model="
        + model
        + ", expiresAt="
        + expiresAt
        + ", uses="
        + uses
        + "]";
  }
}
