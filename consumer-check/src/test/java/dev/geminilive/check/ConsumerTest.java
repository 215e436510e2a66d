package dev.geminilive.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What an application gets from the BOM: a working session and named modules. */
class ConsumerTest {
  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void aSessionRunsWithWhatTheBomResolves() {
    live.server().script(s -> s.onText("hello").say("Hi there."));
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session =
        live.server().sessionBuilder().listener(events).connect()) {
      session.sendText("hello");
      events.awaitTurnComplete(1, Duration.ofSeconds(10));
    }
    assertTrue(events.outputTranscript().contains("Hi there."), events.outputTranscript());
  }

  @Test
  void eachPublishedJarNamesItsModule() throws Exception {
    assertEquals("dev.geminilive", moduleName(ResilientLiveSession.class));
    assertEquals("dev.geminilive.testkit", moduleName(FakeLiveServerExtension.class));
  }

  private static String moduleName(Class<?> type) throws Exception {
    URL location = type.getProtectionDomain().getCodeSource().getLocation();
    Path path = Path.of(location.toURI());
    assertTrue(
        path.toString().endsWith(".jar"),
        type.getName() + " should come from a jar, as it does for an application, not " + path);
    try (JarFile jar = new JarFile(path.toFile())) {
      return jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
    }
  }
}
