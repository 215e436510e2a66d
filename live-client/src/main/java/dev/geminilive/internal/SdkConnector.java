package dev.geminilive.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.AsyncSession;
import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.LiveClientContextUpdate;
import com.google.genai.types.LiveSendClientContentParameters;
import com.google.genai.types.LiveSendRealtimeInputParameters;
import com.google.genai.types.LiveSendToolResponseParameters;
import com.google.genai.types.LiveServerMessage;
import dev.geminilive.LiveAuth;
import dev.geminilive.LiveAuthException;
import dev.geminilive.LiveConnectException;
import dev.geminilive.LiveException;
import dev.geminilive.SessionSpec;
import java.io.IOException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector over the SDK's own Live session ({@code client.async.live.connect}), for
 * applications that want the official session object underneath. The SDK builds and writes every
 * frame itself; this class adds what the audit in {@code SDK-GAPS.md} found missing, each
 * workaround proven by a contract test that runs against both connectors:
 *
 * <ol>
 *   <li><b>Early frames</b> (Q3): the SDK drops frames that arrive before {@code receive()}. The
 *       connector registers {@code receive()} in a stage attached to the connect future <em>before
 *       the WebSocket call may run</em>: the call is held by the connection's private dispatcher
 *       ({@link SdkGate}) until the stage is attached, so the stage always runs on the reader
 *       thread right after {@code setupComplete}, and {@link Connection.Handler#onReady} comes
 *       before any later frame. (Attaching "immediately" is not enough on its own: {@code
 *       connect()} has already enqueued the call when it returns, and a fast server can complete
 *       the future first, which moves the stage to the caller's thread and brings the race back.)
 *   <li><b>Send order</b> (Q2): every {@code AsyncSession.send*} runs on a fresh async task, so
 *       rapid sends overtake each other. Each send is chained on the previous send's future, so the
 *       SDK has at most one write of this connection in flight. {@link Connection#send} stays
 *       non-blocking: it parses the frame, appends it to the chain and returns.
 *   <li><b>Sends that "succeed" on a dead socket</b> (Q4): the SDK discards OkHttp's result. A
 *       connection marks itself closing on {@link Connection#close}, dead when its death is
 *       detected, and {@code send} returns false from then on.
 *   <li><b>No close or error signal</b> (Q4): each connection gets its own {@code OkHttpClient},
 *       derived with {@code newBuilder()} from the spec's client (or {@link
 *       HttpClients#defaultClient()}) so pool and TLS settings are shared, with a {@link
 *       SdkSocketWatch} socket factory: the raw socket's {@code close()}, end of stream and read
 *       errors report the death. A server close frame alone leaves the SDK's socket half-closed;
 *       the {@link SdkLogBridge} reads its code and reason from the SDK's log record on the
 *       connection's reader thread (best effort), and the ping interval turns it into a failed ping
 *       and a socket close within about two intervals otherwise. Either way {@link
 *       Connection.Handler#onClosed} is called exactly once, and the socket is closed at once.
 *   <li><b>The 64-session limit</b> (Q7): every open WebSocket holds a dispatcher slot and OkHttp
 *       allows 64. Each connection has its own {@code Dispatcher} (over the base client's thread
 *       pool), with its limits raised too, so no session waits for another's slot.
 *   <li><b>No connect timeout</b>: the connector fails the connect after {@link
 *       ConnectRequest#connectTimeout()} with a retryable {@link LiveConnectException}.
 *   <li><b>Socket leak on setup failure</b> (Q5): whenever setup fails (a reply other than {@code
 *       setupComplete}, a close frame, a timeout) the connector closes the raw socket itself.
 *   <li><b>{@code Client.close()} shuts a shared dispatcher down</b> (Q7): the per-connection
 *       {@link Client} is never closed; it holds no resources of its own beyond the connection, and
 *       its dispatcher's executor ({@link SdkGate}) would not pass a shutdown on anyway.
 *   <li><b>A host that cannot be resolved is never reported</b>: the SDK's connect future neither
 *       completes nor logs anything when the DNS lookup fails (measured with google-genai 2.0.0),
 *       so the connect would only end at its timeout, as "no setupComplete". The connection's
 *       {@code Dns} reports the failure itself, and the connect fails at once saying the host could
 *       not be resolved.
 * </ol>
 *
 * <p><b>Per-connection settings.</b> {@link ConnectRequest} is built for the OkHttp path (URL,
 * headers, setup JSON). Rather than widen it, this connector reads the two per-connection values it
 * needs from the request: the resumption handle from the setup JSON (then {@link
 * SessionSpec#toLiveConnectConfig(String)} rebuilds the SDK configuration), and the ephemeral token
 * from the {@code Authorization: Token ...} header. The SDK cannot express {@code historyConfig}
 * (its {@code LiveConnectConfig} has no such field): when the setup asks for it, the connection
 * goes ahead without it and a warning is logged.
 *
 * <p><b>Known costs</b>, inherent to the SDK session: frames the service sends are re-serialized
 * from the SDK's typed {@link LiveServerMessage}, so fields the SDK does not know are lost (Q5);
 * the SDK writes realtime input under {@code realtime_input} (Q1); {@link Connection#close} always
 * sends 1000 "Client closing"; {@link Connection#queueSize()} counts only bytes not yet handed to
 * the SDK; and on a JVM whose common pool has parallelism 1 (1–2 CPUs) the JDK starts one
 * short-lived thread per send, because the SDK's sends use {@code CompletableFuture.runAsync}
 * without an executor (Q7). The SDK also always dials {@code wss://}, so a plain {@code http://}
 * base URL does not work. The default {@link OkHttpConnector} has none of these.
 */
final class SdkConnector implements Connector {
  private static final Logger log = LoggerFactory.getLogger(SdkConnector.class);

  /** OkHttp's own default is 64; see the class comment. */
  static final int MAX_REQUESTS = 100_000;

  private static final Pattern HTTP_STATUS =
      Pattern.compile("Expected HTTP 101 response but was '(\\d{3}) ?([^']*)'");

  private final SessionSpec spec;
  private final OkHttpClient base;

  /** A connector for the connections of one session. */
  SdkConnector(SessionSpec spec) {
    this.spec = spec;
    this.base = spec.httpClient() != null ? spec.httpClient() : HttpClients.defaultClient();
  }

  @Override
  public CompletableFuture<Connection> connect(ConnectRequest request, Connection.Handler handler) {
    SdkConnection c = new SdkConnection(this, spec.model(), request, handler);
    c.ready.whenComplete(
        (x, e) -> {
          if (c.ready.isCancelled()) {
            c.abandon();
          }
        });
    SdkLogBridge.acquire();
    try {
      JsonNode setup = Frames.readTree(request.setupJson()).path("setup");
      JsonNode handleNode = setup.path("sessionResumption").path("handle");
      String handle = handleNode.isTextual() ? handleNode.asText() : null;
      if (setup.has("historyConfig")) {
        log.warn(
            "Connection {}: the SDK transport cannot send historyConfig; seeded history is sent"
                + " as ordinary client content (use the default transport for this model)",
            request.ordinal());
      }
      SdkGate gate =
          new SdkGate(base.dispatcher().executorService(), c::readerStarted, c::readerEnded);
      Dispatcher dispatcher = new Dispatcher(gate);
      dispatcher.setMaxRequests(MAX_REQUESTS);
      dispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
      okhttp3.Dns dns = base.dns();
      OkHttpClient http =
          base.newBuilder()
              .dispatcher(dispatcher)
              .dns(
                  host -> {
                    try {
                      return dns.lookup(host);
                    } catch (UnknownHostException e) {
                      // The SDK never completes its connect future for this (workaround 9).
                      c.transportFailure(e);
                      throw e;
                    }
                  })
              .socketFactory(c.watch)
              .pingInterval(request.pingInterval().toMillis(), TimeUnit.MILLISECONDS)
              .connectTimeout(request.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
              .readTimeout(0, TimeUnit.MILLISECONDS)
              .build();
      Client client = client(http, request);
      c.timeout =
          spec.scheduler()
              .schedule(
                  "connect timeout of connection " + request.ordinal(),
                  request.connectTimeout(),
                  () ->
                      c.failSetup(
                          new LiveConnectException(
                              "Connect timeout: no setupComplete within "
                                  + request.connectTimeout().toMillis()
                                  + " ms from "
                                  + request.url(),
                              true,
                              new TimeoutException())));
      CompletableFuture<AsyncSession> connecting =
          client.async.live.connect(spec.model(), spec.toLiveConnectConfig(handle));
      // Attached while the gate still holds the call, so it runs on the reader thread.
      connecting.whenComplete(c::setupFinished);
      gate.open();
    } catch (LiveException e) {
      c.failSetup(e instanceof LiveConnectException lce ? lce : wrap(e));
    } catch (IOException | RuntimeException e) {
      c.failSetup(new LiveConnectException("Could not open an SDK connection: " + e, false, e));
    }
    return c.ready;
  }

  private static LiveConnectException wrap(LiveException e) {
    return new LiveConnectException(e.getMessage(), false, e);
  }

  /** A fresh SDK client for one connection, over that connection's OkHttp client. */
  private Client client(OkHttpClient http, ConnectRequest request) {
    Client.Builder b = Client.builder();
    HttpOptions.Builder options = HttpOptions.builder();
    if (spec.baseUrl() != null) {
      options.baseUrl(spec.baseUrl());
    }
    LiveAuth auth = spec.auth();
    if (auth instanceof LiveAuth.SdkClient sdk) {
      Client given = sdk.client();
      if (given.vertexAI()) {
        if (given.project() == null || given.location() == null) {
          throw new LiveAuthException(
              "The SDK client is set up for Vertex AI but has no project or location.",
              0,
              "",
              null);
        }
        auth = LiveAuth.vertexAi(given.project(), given.location(), null);
      } else {
        if (given.apiKey() == null || given.apiKey().isBlank()) {
          throw new LiveAuthException("The SDK client has no API key.", 0, "", null);
        }
        auth = LiveAuth.apiKey(given.apiKey());
      }
    }
    String version;
    if (auth instanceof LiveAuth.VertexAi v) {
      b.vertexAI(true).project(v.project()).location(v.location());
      if (v.credentials() != null) {
        b.credentials(v.credentials());
      }
      version = "v1beta1";
    } else if (auth instanceof LiveAuth.EphemeralToken) {
      // RealLiveSession asked the supplier for this connection's token; Endpoint put it here.
      String header = request.headers().getOrDefault("Authorization", "");
      b.vertexAI(false).apiKey(header.startsWith("Token ") ? header.substring(6) : header);
      version = "v1alpha";
    } else {
      b.vertexAI(false).apiKey(((LiveAuth.ApiKey) auth).key());
      version = "v1beta";
    }
    options.apiVersion(spec.apiVersion() != null ? spec.apiVersion() : version);
    try {
      return b.httpOptions(options.build())
          .clientOptions(ClientOptions.builder().customHttpClient(http).build())
          .build();
    } catch (RuntimeException e) {
      throw new LiveAuthException("Could not create the SDK client: " + e.getMessage(), 0, "", e);
    }
  }

  /**
   * Turns one of the library's frames (see {@link Frames}) back into the SDK call that writes it,
   * so that the SDK itself serializes the frame.
   *
   * @throws IllegalArgumentException for a frame the SDK session has no call for
   */
  static Function<AsyncSession, CompletableFuture<Void>> call(String json) {
    JsonNode root;
    try {
      root = Frames.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("Not a JSON frame: " + OkHttpConnector.abbreviate(json));
    }
    if (root != null && root.isObject() && root.size() == 1) {
      String key = root.fieldNames().next();
      String body = root.get(key).toString();
      switch (key) {
        case "realtimeInput", "realtime_input" -> {
          LiveSendRealtimeInputParameters p = LiveSendRealtimeInputParameters.fromJson(body);
          return s -> s.sendRealtimeInput(p);
        }
        case "clientContent", "client_content" -> {
          LiveSendClientContentParameters p = LiveSendClientContentParameters.fromJson(body);
          return s -> s.sendClientContent(p);
        }
        case "contextUpdate", "context_update" -> {
          LiveClientContextUpdate p = LiveClientContextUpdate.fromJson(body);
          return s -> s.sendContextUpdate(p);
        }
        case "toolResponse", "tool_response" -> {
          LiveSendToolResponseParameters p = LiveSendToolResponseParameters.fromJson(body);
          return s -> s.sendToolResponse(p);
        }
        default -> {
          // Falls through to the exception below.
        }
      }
    }
    throw new IllegalArgumentException(
        "The SDK transport has no call for this frame: " + OkHttpConnector.abbreviate(json));
  }

  /** The exception for a connect future the SDK failed. */
  LiveConnectException setupFailure(String url, Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    LiveConnectException unresolved = CloseCodes.unresolvedHost("Connect to " + url, url, failure);
    if (unresolved != null) {
      return unresolved;
    }
    String message = String.valueOf(t.getMessage());
    Matcher http = HTTP_STATUS.matcher(message);
    if (http.find()) {
      return CloseCodes.forHttpStatus(
          "Connect to " + url, Integer.parseInt(http.group(1)), http.group(2));
    }
    if (message.contains("did not contain setupComplete")) {
      return new LiveConnectException(
          "The service answered the setup with something other than setupComplete: "
              + OkHttpConnector.abbreviate(message),
          false,
          t);
    }
    return new LiveConnectException(
        "Setup of " + spec.model() + " over the SDK failed: " + t, true, t);
  }
}
