package dev.geminilive.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Java in the Markdown docs identical to compiled code.
 *
 * <p>Every {@code ```java} block in {@code README.md} and {@code docs/*.md} must follow a {@code
 * <!-- snippet: name -->} comment, and its text must equal the region between {@code //
 * snippet:name} and {@code // end:name} in the examples' sources (test sources in this package, or
 * main sources, of {@code examples} and {@code examples-spring}), with the region's common
 * indentation removed. After changing a snippet's source, run this test with {@code
 * -Dsnippets.update=true} to rewrite the Markdown blocks.
 */
class DocSnippetsTest {
  private static final Pattern REGION_START = Pattern.compile("^\\s*// snippet:([\\w-]+)\\s*$");
  private static final Pattern MARKER = Pattern.compile("^<!-- snippet: ([\\w-]+) -->$");

  /** The repository root: the nearest directory up from the working directory with docs/. */
  private static final Path ROOT = root();

  private static final Path MODULE = ROOT.resolve("examples");

  private static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("docs")) && Files.isDirectory(p.resolve("examples"))) {
        return p;
      }
    }
    throw new IllegalStateException("Run from inside the repository: no docs/ directory found");
  }

  @Test
  void everyJavaBlockInTheDocsIsACompiledSnippet() throws IOException {
    Map<String, String> regions = regions();
    boolean update = Boolean.getBoolean("snippets.update");
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path doc : docs()) {
      List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
      List<String> rewritten = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        rewritten.add(line);
        if (!line.equals("```java")) {
          continue;
        }
        int end = i + 1;
        while (end < lines.size() && !lines.get(end).equals("```")) {
          end++;
        }
        String where = ROOT.relativize(doc) + ":" + (i + 1);
        Matcher marker = MARKER.matcher(previousNonBlank(lines, i));
        String actual = String.join("\n", lines.subList(i + 1, end));
        if (!marker.matches()) {
          problems.add(where + ": java block without a preceding <!-- snippet: name --> comment");
          rewritten.addAll(lines.subList(i + 1, end));
        } else if (!regions.containsKey(marker.group(1))) {
          problems.add(where + ": no source region '// snippet:" + marker.group(1) + "'");
          rewritten.addAll(lines.subList(i + 1, end));
        } else {
          String expected = regions.get(marker.group(1));
          checked++;
          if (!expected.equals(actual)) {
            problems.add(where + ": snippet '" + marker.group(1) + "' differs from its source");
          }
          rewritten.addAll(expected.lines().toList());
        }
        if (end < lines.size()) {
          rewritten.add(lines.get(end));
        }
        i = end;
      }
      if (update) {
        Files.write(doc, rewritten, StandardCharsets.UTF_8);
      }
    }
    if (update) {
      return;
    }
    assertThat(problems)
        .as("Run with -Dsnippets.update=true to copy changed sources into the docs")
        .isEmpty();
    assertThat(checked).as("snippets checked").isGreaterThanOrEqualTo(20);
  }

  @Test
  void everySourceRegionIsUsedInSomeDoc() throws IOException {
    StringBuilder all = new StringBuilder();
    for (Path doc : docs()) {
      all.append(Files.readString(doc, StandardCharsets.UTF_8));
    }
    for (String name : regions().keySet()) {
      assertThat(all.toString()).as(name).contains("<!-- snippet: " + name + " -->");
    }
  }

  private static String previousNonBlank(List<String> lines, int index) {
    for (int i = index - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        return lines.get(i).trim();
      }
    }
    return "";
  }

  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** Every {@code // snippet:name} region of the examples' sources, dedented. */
  private static Map<String, String> regions() throws IOException {
    Map<String, String> regions = new LinkedHashMap<>();
    Path spring = ROOT.resolve("examples-spring");
    for (Path dir :
        List.of(
            MODULE.resolve("src/main/java"),
            MODULE.resolve("src/test/java"),
            spring.resolve("src/main/java"),
            spring.resolve("src/test/java"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(f -> read(f, regions));
      }
    }
    return regions;
  }

  private static void read(Path file, Map<String, String> regions) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = REGION_START.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      String name = m.group(1);
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).trim().equals("// end:" + name)) {
        end++;
      }
      if (end == lines.size()) {
        throw new IllegalStateException(file + ": '// snippet:" + name + "' has no '// end:'");
      }
      if (regions.put(name, dedent(lines.subList(i + 1, end))) != null) {
        throw new IllegalStateException(file + ": snippet '" + name + "' is defined twice");
      }
      i = end;
    }
  }

  /** Removes the common indentation and leading and trailing blank lines. */
  private static String dedent(List<String> region) {
    int from = 0;
    int to = region.size();
    while (from < to && region.get(from).isBlank()) {
      from++;
    }
    while (to > from && region.get(to - 1).isBlank()) {
      to--;
    }
    List<String> lines = region.subList(from, to);
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.isBlank() ? "" : l.substring(indent));
    }
    return String.join("\n", out);
  }
}
