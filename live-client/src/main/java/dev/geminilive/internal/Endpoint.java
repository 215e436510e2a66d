package dev.geminilive.internal;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.geminilive.LiveAuth;
import dev.geminilive.LiveAuthException;
import dev.geminilive.SessionSpec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where and how to connect for one attempt: URL, handshake headers and the model path, computed
 * from a spec's auth and endpoint settings the way the SDK computes them.
 *
 * @param url the WebSocket URL
 * @param headers the handshake headers
 * @param modelPath the model as the setup frame names it
 * @param vertex whether this is Vertex AI
 */
public record Endpoint(String url, Map<String, String> headers, String modelPath, boolean vertex) {
  /** The Gemini API's default base URL. */
  public static final String GEMINI_BASE_URL = "https://generativelanguage.googleapis.com";

  static final String CLIENT_HEADER =
      "gemini-live-java/0.1 google-genai-sdk/2.0.0 gl-java/" + System.getProperty("java.version");

  @Override
  public String toString() {
    return "Endpoint[url=" + url + ", model=" + modelPath + "]";
  }

  /**
   * Resolves the endpoint for one connection.
   *
   * @param token the ephemeral token to use, when the spec uses tokens
   */
  public static Endpoint resolve(SessionSpec spec, @Nullable String token) {
    LiveAuth auth = spec.auth();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-goog-api-client", CLIENT_HEADER);
    headers.put("user-agent", CLIENT_HEADER);
    if (auth instanceof LiveAuth.SdkClient sdk) {
      auth =
          sdk.client().vertexAI()
              ? vertexFromClient(sdk)
              : apiKeyOf(sdk.client().apiKey(), "the SDK client has no API key");
    }
    if (auth instanceof LiveAuth.VertexAi v) {
      String base =
          spec.baseUrl() != null
              ? spec.baseUrl()
              : "global".equals(v.location())
                  ? "https://aiplatform.googleapis.com"
                  : "https://" + v.location() + "-aiplatform.googleapis.com";
      String version = spec.apiVersion() != null ? spec.apiVersion() : "v1beta1";
      headers.put("Authorization", "Bearer " + bearerToken(v));
      return new Endpoint(
          ws(base)
              + "/ws/google.cloud.aiplatform."
              + version
              + ".LlmBidiService/BidiGenerateContent",
          headers,
          "projects/"
              + v.project()
              + "/locations/"
              + v.location()
              + "/publishers/google/models/"
              + spec.model(),
          true);
    }
    String base = spec.baseUrl() != null ? spec.baseUrl() : GEMINI_BASE_URL;
    String modelPath = "models/" + spec.model();
    if (auth instanceof LiveAuth.EphemeralToken) {
      String problem = token == null ? null : Secrets.problem(token);
      if (problem != null) {
        throw new LiveAuthException(
            "The ephemeral token supplier returned a token with "
                + problem
                + ". Tokens are printable ASCII without spaces: strip() what the supplier"
                + " returns. (The token is not shown.)",
            0,
            "",
            null);
      }
      if (token == null || !token.startsWith("auth_tokens/")) {
        throw new LiveAuthException(
            "The ephemeral token supplier returned "
                + (token == null ? "null" : "a value that does not start with auth_tokens/")
                + ". Mint tokens with EphemeralTokenService and pass their name.",
            0,
            "",
            null);
      }
      String version = spec.apiVersion() != null ? spec.apiVersion() : "v1alpha";
      headers.put("Authorization", "Token " + token);
      return new Endpoint(
          ws(base)
              + "/ws/google.ai.generativelanguage."
              + version
              + ".GenerativeService.BidiGenerateContentConstrained",
          headers,
          modelPath,
          false);
    }
    LiveAuth.ApiKey key = (LiveAuth.ApiKey) auth;
    String version = spec.apiVersion() != null ? spec.apiVersion() : "v1beta";
    headers.put("x-goog-api-key", key.key());
    return new Endpoint(
        ws(base)
            + "/ws/google.ai.generativelanguage."
            + version
            + ".GenerativeService.BidiGenerateContent",
        headers,
        modelPath,
        false);
  }

  private static LiveAuth apiKeyOf(@Nullable String key, String problem) {
    if (key == null || key.isBlank()) {
      throw new LiveAuthException(problem + ".", 0, "", null);
    }
    String bad = Secrets.problem(key);
    if (bad != null) {
      throw new LiveAuthException(
          "The SDK client's API key has " + bad + ". (The key is not shown.)", 0, "", null);
    }
    return LiveAuth.apiKey(key);
  }

  private static LiveAuth vertexFromClient(LiveAuth.SdkClient sdk) {
    String project = sdk.client().project();
    String location = sdk.client().location();
    if (project == null || location == null) {
      throw new LiveAuthException(
          "The SDK client is set up for Vertex AI but has no project or location.", 0, "", null);
    }
    return LiveAuth.vertexAi(project, location, null);
  }

  private static String bearerToken(LiveAuth.VertexAi v) {
    try {
      GoogleCredentials credentials =
          v.credentials() != null
              ? v.credentials()
              : GoogleCredentials.getApplicationDefault()
                  .createScoped(List.of("https://www.googleapis.com/auth/cloud-platform"));
      credentials.refreshIfExpired();
      AccessToken token = credentials.getAccessToken();
      if (token == null) {
        credentials.refresh();
        token = credentials.getAccessToken();
      }
      return token.getTokenValue();
    } catch (IOException e) {
      throw new LiveAuthException(
          "Could not get an access token for Vertex AI project "
              + v.project()
              + ": "
              + e.getMessage()
              + ". Check Application Default Credentials (gcloud auth application-default login).",
          0,
          "",
          e);
    }
  }

  /** Turns an http(s) base URL into a ws(s) one. */
  static String ws(String base) {
    if (base.regionMatches(true, 0, "https://", 0, 8)) {
      return "wss://" + base.substring(8);
    }
    if (base.regionMatches(true, 0, "http://", 0, 7)) {
      return "ws://" + base.substring(7);
    }
    return base;
  }
}
