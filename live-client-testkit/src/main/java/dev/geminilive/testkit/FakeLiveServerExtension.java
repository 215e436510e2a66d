package dev.geminilive.testkit;

import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving each test a fresh, started {@link FakeLiveServer}, closed after it.
 *
 * <p>Register it on an instance field; the server is also injected into test and lifecycle method
 * parameters of type {@link FakeLiveServer}. Not for static fields: one server per test method is
 * the point. Thread-safe for one test at a time (JUnit creates one test instance per method by
 * default); the server is kept in the extension store and closed after each test even if {@link
 * #server()} was never called.
 *
 * <pre>{@code
 * @RegisterExtension final FakeLiveServerExtension live = new FakeLiveServerExtension();
 *
 * @Test
 * void answersHello() {
 *   live.server().script(s -> s.onText("hello").reply(r -> r.say("Hi!")));
 *   ...
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FakeLiveServerExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FakeLiveServerExtension.class);

  private final Consumer<FakeLiveServer.Builder> configurer;
  private volatile @Nullable FakeLiveServer server;

  /** Creates the extension with a default server (TLS, binary frames, key "test-key"). */
  public FakeLiveServerExtension() {
    this(b -> {});
  }

  /**
   * Creates the extension; {@code configurer} adjusts each test's server builder.
   *
   * @param configurer adjusts the builder before each test's server is built
   */
  public FakeLiveServerExtension(Consumer<FakeLiveServer.Builder> configurer) {
    this.configurer = Objects.requireNonNull(configurer, "configurer");
  }

  /**
   * Returns the current test's server.
   *
   * @return the server
   * @throws IllegalStateException outside a test
   */
  public FakeLiveServer server() {
    FakeLiveServer s = server;
    if (s == null) {
      throw new IllegalStateException("No fake server: only available while a test runs");
    }
    return s;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    FakeLiveServer.Builder builder = FakeLiveServer.builder();
    configurer.accept(builder);
    FakeLiveServer s = builder.build();
    server = s;
    context.getStore(NAMESPACE).put(FakeLiveServer.class, s);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    FakeLiveServer s =
        context.getStore(NAMESPACE).remove(FakeLiveServer.class, FakeLiveServer.class);
    if (s != null) {
      s.close();
    }
    server = null;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FakeLiveServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server();
  }
}
