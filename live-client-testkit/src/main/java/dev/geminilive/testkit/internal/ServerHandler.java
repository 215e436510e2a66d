package dev.geminilive.testkit.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Netty handler of one TCP connection: the HTTP upgrade (path, auth, faults), then frames. */
final class ServerHandler extends SimpleChannelInboundHandler<Object> {
  private static final Logger log = LoggerFactory.getLogger(ServerHandler.class);
  static final int MAX_FRAME_BYTES = 16 << 20;
  static final String BAD_KEY_REASON = "API key not valid. Please pass a valid API key.";
  private static final Pattern PATH =
      Pattern.compile(
          "/ws/google\\.ai\\.generativelanguage\\.(v1alpha|v1beta)\\.GenerativeService\\."
              + "(BidiGenerateContent|BidiGenerateContentConstrained)");

  /**
   * Vertex AI's path (version, no constrained variant): {@link
   * dev.geminilive.testkit.FakeLiveServer#configureVertexAi}.
   */
  private static final Pattern VERTEX_PATH =
      Pattern.compile(
          "/ws/google\\.cloud\\.aiplatform\\.(v1beta1|v1)\\.LlmBidiService/BidiGenerateContent");

  private static final Pattern LEADING_SLASHES = Pattern.compile("^/+");

  private final ServerEngine server;
  private @Nullable ConnectionEngine connection;

  ServerHandler(ServerEngine server) {
    this.server = server;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest req) {
      upgrade(ctx, req);
    } else if (msg instanceof WebSocketFrame frame) {
      frame(ctx, frame);
    }
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
    QueryStringDecoder query = new QueryStringDecoder(req.uri());
    // The service accepts repeated leading slashes, and @google/genai 3.1.0 sends "//ws/..." when
    // given a baseUrl; the connection keeps the path as requested.
    String path = LEADING_SLASHES.matcher(query.path()).replaceFirst("/");
    Matcher m = PATH.matcher(path);
    Matcher vertexPath = VERTEX_PATH.matcher(path);
    boolean vertex = !m.matches() && vertexPath.matches();
    if (!vertex && !m.matches()
        || !"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
      respond(ctx, HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "Not Found");
      return;
    }
    int reject = server.faults().takeUpgradeRejection();
    if (reject > 0) {
      respond(
          ctx,
          HttpResponseStatus.valueOf(reject),
          "RESOURCE_EXHAUSTED",
          "Resource has been exhausted (e.g. check quota).");
      return;
    }
    boolean constrained = !vertex && m.group(2).endsWith("Constrained");
    String version = vertex ? vertexPath.group(1) : m.group(1);
    String key = header(req, "x-goog-api-key");
    if (key == null) {
      key = param(query, "key");
    }
    String token = null;
    String authorization = header(req, "authorization");
    if (authorization != null && authorization.startsWith("Token ")) {
      token = authorization.substring("Token ".length()).trim();
    } else if (param(query, "access_token") != null) {
      token = param(query, "access_token");
    } else if (key != null && key.startsWith("auth_tokens/")) {
      token = key;
    }
    TokenGrant grant = null;
    boolean authorized;
    if (vertex) {
      authorized = ("Bearer " + server.config().apiKey()).equals(authorization);
    } else if (constrained) {
      grant = token == null ? null : server.validToken(token);
      authorized = grant != null;
    } else {
      authorized = server.config().apiKey().equals(key);
    }
    if (!authorized && server.config().badAuthHttpStatus() > 0) {
      respond(
          ctx,
          HttpResponseStatus.valueOf(server.config().badAuthHttpStatus()),
          "UNAUTHENTICATED",
          BAD_KEY_REASON);
      return;
    }
    String url =
        (server.config().plain() ? "ws://" : "wss://")
            + req.headers().get(HttpHeaderNames.HOST)
            + query.path();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(url, null, false, MAX_FRAME_BYTES).newHandshaker(req);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    Map<String, String> headers = new HashMap<>();
    req.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
    ConnectionEngine conn =
        server.newConnection(ctx.channel(), query.path(), version, constrained, headers, grant);
    connection = conn;
    boolean ok = authorized;
    handshaker
        .handshake(ctx.channel(), req)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                ctx.close();
              } else if (!ok) {
                conn.closeWith(1008, BAD_KEY_REASON, false);
              }
            });
  }

  private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
    ConnectionEngine conn = connection;
    if (conn == null) {
      ctx.close();
      return;
    }
    if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
      String text = frame.content().toString(StandardCharsets.UTF_8);
      log.trace("<- [{}] {}", conn.index(), text);
      server.run(() -> conn.onFrame(text));
    } else if (frame instanceof PingWebSocketFrame) {
      conn.pingReceived();
      if (conn.stalled()) {
        return;
      }
      PongWebSocketFrame pong = new PongWebSocketFrame(frame.content().retainedDuplicate());
      Duration delay = conn.effectivePongDelay();
      if (delay.isZero()) {
        ctx.writeAndFlush(pong);
      } else {
        ctx.executor()
            .schedule(() -> ctx.writeAndFlush(pong), delay.toNanos(), TimeUnit.NANOSECONDS);
      }
    } else if (frame instanceof CloseWebSocketFrame close) {
      conn.onClientClose(close.statusCode(), close.reasonText());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ConnectionEngine conn = connection;
    if (conn != null) {
      conn.onChannelClosed();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Connection error, closing: {}", cause.toString());
    ctx.close();
  }

  private static @Nullable String header(FullHttpRequest req, String name) {
    return req.headers().get(name);
  }

  private static @Nullable String param(QueryStringDecoder query, String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static void respond(
      ChannelHandlerContext ctx, HttpResponseStatus status, String statusName, String message) {
    String body =
        "{\"error\":{\"code\":"
            + status.code()
            + ",\"message\":\""
            + message
            + "\",\"status\":\""
            + statusName
            + "\"}}";
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
  }
}
