package dev.geminilive.tools;

import com.google.genai.types.FunctionDeclaration;
import java.util.List;
import java.util.Set;

/** Placeholder until the tools package lands. */
public final class ToolRegistry {
  /** Of. */
  public static ToolRegistry of(Object... handlers) {
    return new ToolRegistry();
  }

  /** Declarations. */
  public List<FunctionDeclaration> declarations() {
    return List.of();
  }

  /** Names. */
  public Set<String> names() {
    return Set.of();
  }
}
