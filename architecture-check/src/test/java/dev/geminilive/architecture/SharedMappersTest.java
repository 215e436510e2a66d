package dev.geminilive.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No class hands out a shared Jackson {@code ObjectMapper} in a public field: a mapper can be
 * reconfigured by anyone who holds it, so one shared by the library (or the testkit) stays private
 * and others read and build JSON through methods of its owner.
 */
class SharedMappersTest {
  private static final String OBJECT_MAPPER = "com.fasterxml.jackson.databind.ObjectMapper";

  @Test
  void noClassSharesAnObjectMapperInAPublicField() {
    List<String> found = new ArrayList<>();
    ModuleClasses.all().forEach((module, classes) -> found.addAll(publicMappers(module, classes)));
    assertThat(found).as("public ObjectMapper fields (make them private)").isEmpty();
  }

  @Test
  void findsAPublicObjectMapperField() {
    JavaClasses fixture =
        new ClassFileImporter().importPackages("dev.geminilive.architecture.fixture");
    assertThat(publicMappers("examples", fixture))
        .singleElement()
        .asString()
        .contains("SharesAMapper.MAPPER");
  }

  static List<String> publicMappers(String module, JavaClasses classes) {
    List<String> found = new ArrayList<>();
    for (JavaClass c : classes) {
      for (JavaField f : c.getFields()) {
        if (f.getModifiers().contains(JavaModifier.PUBLIC)
            && f.getRawType().isAssignableTo(OBJECT_MAPPER)) {
          found.add(module + ": " + c.getName() + "." + f.getName());
        }
      }
    }
    return found;
  }
}
