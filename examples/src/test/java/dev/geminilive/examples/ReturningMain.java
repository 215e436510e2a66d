package dev.geminilive.examples;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs an example's {@code main} in a child JVM: prints {@value #RETURNED} when it returns (a
 * {@code main} that calls {@code System.exit} never gets there), then names every non-daemon thread
 * still running a few seconds later, since each would keep the JVM from exiting.
 */
public final class ReturningMain {
  /** Printed once the example's main returned. */
  static final String RETURNED = "main returned";

  /** Printed before the name of a non-daemon thread that outlived the example. */
  static final String STILL_RUNNING = "still running: ";

  private ReturningMain() {}

  /**
   * Runs {@code args[0]}'s main with the rest of the arguments.
   *
   * @param args the main class, then its arguments
   * @throws Throwable whatever the example's main throws
   */
  public static void main(String[] args) throws Throwable {
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    System.out.println(RETURNED);
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t == Thread.currentThread() || t.isDaemon() || t.getName().equals("DestroyJavaVM")) {
        continue;
      }
      t.join(5_000); // a pool that is shutting down gets time to end
      if (t.isAlive()) {
        System.out.println(STILL_RUNNING + t.getName());
      }
    }
    System.out.flush();
  }
}
