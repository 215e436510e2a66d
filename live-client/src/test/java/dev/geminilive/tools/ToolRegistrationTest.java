package dev.geminilive.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolRegistrationTest {

  static final class NoTools {
    void notATool() {}
  }

  static final class ObjectParameter {
    @LiveTool(description = "Takes anything.")
    void takeAnything(String first, Object thing) {}
  }

  static final class BadName {
    @LiveTool(name = "book appointment", description = "Books.")
    void book() {}
  }

  static final class First {
    @LiveTool(name = "lookup", description = "Looks up.")
    String lookup() {
      return "a";
    }
  }

  static final class Second {
    @LiveTool(name = "lookup", description = "Looks up again.")
    String lookupAgain() {
      return "b";
    }
  }

  static final class DuplicateArguments {
    @LiveTool(description = "Clashes.")
    void clash(@ToolParam(name = "id") String a, @ToolParam(name = "id") String b) {}
  }

  static final class RequiresUnknown {
    @LiveTool(description = "Books.", requires = "get_slots")
    void book() {}
  }

  static final class SchedulingOnBlocking {
    @LiveTool(
        description = "Books.",
        behavior = ToolBehavior.BLOCKING,
        scheduling = ToolScheduling.INTERRUPT)
    void book() {}
  }

  record Node(String name, List<Node> children) {}

  static final class Recursive {
    @LiveTool(description = "Walks a tree.")
    void walk(Node root) {}
  }

  static final class RawList {
    @LiveTool(description = "Takes a list of anything.")
    void take(List<Object> things) {}
  }

  static final class PrivateTools {
    private int calls;

    @LiveTool(description = "A private tool.")
    private int count() {
      return ++calls;
    }
  }

  @Test
  void rejectsAHandlerWithoutTools() {
    assertThatThrownBy(() -> ToolRegistry.of(new NoTools()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No @LiveTool methods in " + NoTools.class.getName());
  }

  @Test
  void rejectsAnUnsupportedParameterTypeNamingClassMethodAndIndex() {
    assertThatThrownBy(() -> ToolRegistry.of(new ObjectParameter()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot describe argument 'thing': unsupported type java.lang.Object")
        .hasMessageContaining("(parameter #2)")
        .hasMessageContaining("for method " + ObjectParameter.class.getName() + ".takeAnything");
  }

  @Test
  void rejectsCollectionsWithoutAnElementType() {
    assertThatThrownBy(() -> ToolRegistry.of(new RawList()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give the element type")
        .hasMessageContaining("(parameter #1)");
  }

  @Test
  void rejectsRecursiveTypes() {
    assertThatThrownBy(() -> ToolRegistry.of(new Recursive()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recursive type " + Node.class.getName())
        .hasMessageContaining(".walk");
  }

  @Test
  void rejectsAnInvalidToolName() {
    assertThatThrownBy(() -> ToolRegistry.of(new BadName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid tool name 'book appointment'")
        .hasMessageContaining(BadName.class.getName() + ".book");
    assertThatThrownBy(() -> ToolDefinition.builder("1st"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid tool name '1st'");
    assertThatThrownBy(() -> ToolDefinition.builder("x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsDuplicateToolNames() {
    assertThatThrownBy(() -> ToolRegistry.of(new First(), new Second()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Duplicate tool name 'lookup'");
  }

  @Test
  void rejectsDuplicateArgumentNames() {
    assertThatThrownBy(() -> ToolRegistry.of(new DuplicateArguments()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Duplicate argument name 'id' (parameter #2)");
  }

  @Test
  void rejectsRequiresNamingAnUnregisteredTool() {
    assertThatThrownBy(() -> ToolRegistry.of(new RequiresUnknown()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Tool 'book' requires 'get_slots', which is not registered");
  }

  @Test
  void rejectsSchedulingOnABlockingTool() {
    assertThatThrownBy(() -> ToolRegistry.of(new SchedulingOnBlocking()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scheduling applies only to non-blocking tools")
        .hasMessageContaining(SchedulingOnBlocking.class.getName() + ".book");
  }

  @Test
  void rejectsAClassInsteadOfAnInstance() {
    assertThatThrownBy(() -> ToolRegistry.of(First.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Pass a handler instance");
  }

  @Test
  void programmaticDefinitionsNeedDescriptionAndHandler() {
    assertThatThrownBy(() -> ToolDefinition.builder("t").handler((a, c) -> null).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tool t needs a description");
    assertThatThrownBy(() -> ToolDefinition.builder("t").description("d").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tool t needs a handler");
  }

  @Test
  void registersPrivateMethodsOfPackagePrivateClasses() throws Exception {
    ToolRegistry registry = ToolRegistry.of(new PrivateTools());

    assertThat(registry.names()).containsExactly("count");
    assertThat(registry.find("count").orElseThrow().handler().handle(null, null)).isEqualTo(1);
  }

  @Test
  void registryKeepsRegistrationOrderAndFindsByName() {
    ToolDefinition extra =
        ToolDefinition.builder("extra").description("d").handler((a, c) -> null).build();

    ToolRegistry registry = ToolRegistry.builder().add(new First()).add(extra).build();

    assertThat(registry.names()).containsExactly("lookup", "extra");
    assertThat(registry.declarations()).hasSize(2);
    assertThat(registry.find("extra")).contains(extra);
    assertThat(registry.find("missing")).isEmpty();
    assertThat(ToolRegistry.empty().isEmpty()).isTrue();
  }

  @Test
  void failsWhenParameterNamesWereNotCompiledIn(@TempDir Path dir) throws Exception {
    Path source = dir.resolve("NoNames.java");
    Files.writeString(
        source,
        "public class NoNames {\n"
            + "  @dev.geminilive.tools.LiveTool(description = \"Books.\")\n"
            + "  public void book(String clientId) {}\n"
            + "}\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classes =
        Paths.get(LiveTool.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    int rc = javac.run(null, null, null, "-cp", classes, "-d", dir.toString(), source.toString());
    assertThat(rc).isZero();

    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Object handler = loader.loadClass("NoNames").getConstructor().newInstance();

      assertThatThrownBy(() -> ToolRegistry.of(handler))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Parameter names are not available (found 'arg0')")
          .hasMessageContaining("compile with -parameters")
          .hasMessageContaining("@ToolParam(name = \"...\")")
          .hasMessageContaining("(parameter #1)")
          .hasMessageContaining("for method NoNames.book");
    }
  }

  @Test
  void explicitNamesWorkWithoutCompiledParameterNames(@TempDir Path dir)
      throws IOException, Exception {
    Path source = dir.resolve("Named.java");
    Files.writeString(
        source,
        "public class Named {\n"
            + "  @dev.geminilive.tools.LiveTool(description = \"Books.\")\n"
            + "  public void book(@dev.geminilive.tools.ToolParam(name = \"client_id\") String id) {}\n"
            + "}\n");
    String classes =
        Paths.get(LiveTool.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    assertThat(
            ToolProvider.getSystemJavaCompiler()
                .run(null, null, null, "-cp", classes, "-d", dir.toString(), source.toString()))
        .isZero();

    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Object handler = loader.loadClass("Named").getConstructor().newInstance();

      assertThat(
              ToolRegistry.of(handler)
                  .find("book")
                  .orElseThrow()
                  .parameters()
                  .properties()
                  .orElseThrow())
          .containsOnlyKeys("client_id");
    }
  }
}
