package dev.geminilive.it.lifecycle;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collections an object keeps, found by walking its fields: every {@link Collection} and {@link
 * Map} reachable from the root through objects of the library's own classes, with its size and the
 * path of fields that leads to it.
 *
 * <p>It names no field: whatever shape the session's implementation takes, a collection that grows
 * with the length of a session shows up here. Objects of the application (the listener, tools) and
 * of the JDK are not entered; collections held directly by library objects are measured, and their
 * elements that are library objects are walked too.
 */
final class RetainedCollections {
  private RetainedCollections() {}

  /** One collection: where it is and how many entries it holds. */
  record Found(String path, int size) {}

  static List<Found> of(Object root) {
    List<Found> found = new ArrayList<>();
    IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    Deque<Object[]> todo = new ArrayDeque<>();
    todo.add(new Object[] {root, root.getClass().getSimpleName()});
    while (!todo.isEmpty()) {
      Object[] next = todo.poll();
      Object o = next[0];
      String path = (String) next[1];
      if (seen.put(o, Boolean.TRUE) != null) {
        continue;
      }
      for (Class<?> c = o.getClass(); c != null && isLibrary(c); c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
            continue;
          }
          Object value;
          try {
            f.setAccessible(true);
            value = f.get(o);
          } catch (ReflectiveOperationException | RuntimeException e) {
            continue;
          }
          if (value == null) {
            continue;
          }
          String at = path + "." + f.getName();
          if (value instanceof Collection<?> coll) {
            found.add(new Found(at, coll.size()));
            for (Object element : List.copyOf(coll)) {
              if (element != null && isLibrary(element.getClass())) {
                todo.add(new Object[] {element, at + "[]"});
              }
            }
          } else if (value instanceof Map<?, ?> map) {
            found.add(new Found(at, map.size()));
            for (Object element : List.copyOf(map.values())) {
              if (element != null && isLibrary(element.getClass())) {
                todo.add(new Object[] {element, at + "{}"});
              }
            }
          } else if (isLibrary(value.getClass())) {
            todo.add(new Object[] {value, at});
          }
        }
      }
    }
    found.sort(Comparator.comparingInt(Found::size).reversed());
    return found;
  }

  /** The library's classes: not the JDK's, not the application's, not the testkit's. */
  private static boolean isLibrary(Class<?> c) {
    String name = c.getName();
    return name.startsWith("dev.geminilive.")
        && !name.startsWith("dev.geminilive.testkit.")
        && !name.startsWith("dev.geminilive.it.");
  }
}
