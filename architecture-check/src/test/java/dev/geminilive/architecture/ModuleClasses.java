package dev.geminilive.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled classes, main and test, of every module the build checks (the system property {@code
 * architecture.modules}, set by this module's POM), read once from each module's {@code
 * target/classes} and {@code target/test-classes}. The modules must be built first: {@code mvn -pl
 * architecture-check -am verify} does it.
 */
final class ModuleClasses {
  /** Read on first use; guarded by the class lock. */
  private static Map<String, JavaClasses> all;

  private ModuleClasses() {}

  /** The classes by module, in the order the POM lists the modules. */
  static synchronized Map<String, JavaClasses> all() {
    if (all == null) {
      Path root = Path.of(System.getProperty("architecture.root", ".."));
      String modules = System.getProperty("architecture.modules", "");
      assertThat(modules)
          .as("the modules to check (system property architecture.modules)")
          .isNotBlank();
      Map<String, JavaClasses> read = new LinkedHashMap<>();
      for (String module : modules.split(",")) {
        read.put(module.trim(), classesOf(root, module.trim()));
      }
      all = read;
    }
    return all;
  }

  /** The main and test classes of one module, failing when the module has not been built. */
  private static JavaClasses classesOf(Path root, String module) {
    List<Path> dirs = new ArrayList<>();
    for (String dir : List.of("target/classes", "target/test-classes")) {
      Path p = root.resolve(module).resolve(dir);
      if (Files.isDirectory(p)) {
        dirs.add(p);
      }
    }
    assertThat(dirs)
        .as(
            "compiled classes of "
                + module
                + " under "
                + root.toAbsolutePath().normalize()
                + " (build it first: mvn -pl architecture-check -am verify)")
        .isNotEmpty();
    JavaClasses classes = new ClassFileImporter().importPaths(dirs);
    assertThat(classes).as("classes of " + module).isNotEmpty();
    return classes;
  }
}
