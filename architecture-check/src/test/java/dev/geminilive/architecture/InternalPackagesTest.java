package dev.geminilive.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code *.internal} packages are not API: no class of another module, main or test, may use
 * them. This is what makes "internal" true for the project's own modules (the examples, the Spring
 * starter, the observability modules, the testkit), which see the same public API a user sees.
 *
 * <p>The classes are those of {@link ModuleClasses}: the modules must be built first.
 */
class InternalPackagesTest {
  /** Each hidden package, with the one module whose classes may use it. */
  static final Map<String, String> OWNERS =
      Map.of(
          "dev.geminilive.internal", "live-client",
          "dev.geminilive.audio.internal", "live-client-audio",
          "dev.geminilive.testkit.internal", "live-client-testkit");

  /**
   * The narrow exceptions, each a class outside the owner with the one internal class it may use.
   * {@code CloseAndReturnMain} runs in a child JVM to prove that a program using the library's own
   * shared OkHttp client exits when {@code main} returns; to trust the fake server's certificate it
   * derives a client from that shared client, which no public API hands out (an application gives
   * its own client to {@code httpClient(...)} instead).
   */
  static final Set<Allowed> EXCEPTIONS =
      Set.of(
          new Allowed(
              "integration-tests",
              "dev.geminilive.it.lifecycle.CloseAndReturnMain",
              "dev.geminilive.internal.HttpClients"));

  /** A use of {@code target} by {@code origin} (top-level class names) that is allowed. */
  record Allowed(String module, String origin, String target) {}

  @Test
  void noModuleUsesAnotherModulesInternalPackages() {
    List<String> violations = new ArrayList<>();
    Set<Allowed> used = new HashSet<>();
    ModuleClasses.all()
        .forEach((module, classes) -> violations.addAll(violations(module, classes, used)));
    assertThat(violations)
        .as(
            "uses of another module's internal package (give what is needed a public home, or a"
                + " documented entry in InternalPackagesTest.EXCEPTIONS)")
        .isEmpty();
    assertThat(used).as("exceptions still needed (remove the others)").isEqualTo(EXCEPTIONS);
  }

  @Test
  void findsAUseOfAnInternalPackageFromAnotherModule() {
    JavaClasses fixture =
        new ClassFileImporter().importPackages("dev.geminilive.architecture.fixture");
    assertThat(violations("examples", fixture, new HashSet<>()))
        .singleElement()
        .asString()
        .contains("UsesAnInternalClass")
        .contains("dev.geminilive.internal.Secrets")
        .contains("examples")
        .contains("live-client");
    assertThat(violations("live-client", fixture, new HashSet<>())).isEmpty();
  }

  /**
   * The dependencies of {@code classes} (compiled from {@code module}) on internal packages other
   * modules own, as messages naming the class, the line and the package's owner; the exceptions
   * that allowed a dependency are added to {@code used}.
   */
  static List<String> violations(String module, JavaClasses classes, Set<Allowed> used) {
    List<String> found = new ArrayList<>();
    for (JavaClass origin : classes) {
      for (Dependency d : origin.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass();
        Optional<String> owner = ownerOf(target.getPackageName());
        if (owner.isEmpty()
            || owner.get().equals(module)
            || allowed(module, origin, target, used)) {
          continue;
        }
        found.add(module + ": " + d.getDescription() + " (" + owner.get() + "'s internal package)");
      }
    }
    return found;
  }

  private static Optional<String> ownerOf(String pkg) {
    return OWNERS.entrySet().stream()
        .filter(e -> pkg.equals(e.getKey()) || pkg.startsWith(e.getKey() + "."))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  private static boolean allowed(
      String module, JavaClass origin, JavaClass target, Set<Allowed> used) {
    Allowed use = new Allowed(module, topLevel(origin).getName(), topLevel(target).getName());
    if (!EXCEPTIONS.contains(use)) {
      return false;
    }
    used.add(use);
    return true;
  }

  private static JavaClass topLevel(JavaClass c) {
    JavaClass t = c;
    while (t.getEnclosingClass().isPresent()) {
      t = t.getEnclosingClass().get();
    }
    return t;
  }
}
