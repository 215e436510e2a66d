package dev.geminilive.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.geminilive.LiveConnectException;
import dev.geminilive.Transport;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A failed first connect is reported once, in words that say what went wrong. */
class ConnectFailureReportTest {
  private static final String UNKNOWN_HOST = "live.example.invalid";

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void aFailedFirstConnectIsThrownAndNotAlsoLoggedAsAWarning() {
    FakeLiveServer server = live.server();
    server.faults().rejectSetups(1, 1008, "Operation is not implemented or supported or enabled.");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    Throwable thrown;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      thrown = catchThrowable(() -> server.sessionBuilder().connect());
    } finally {
      System.err.flush();
      System.setErr(original);
    }
    assertThat(thrown).isInstanceOf(LiveConnectException.class);
    List<String> warnings =
        Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\\R"))
            .filter(line -> line.contains("WARN") || line.contains("ERROR"))
            .filter(line -> line.contains("not implemented") || line.contains("failed"))
            .toList();
    assertThat(warnings).as("the failure is thrown; logging it as well reports it twice").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aHostThatCannotBeResolvedIsReportedAsSuch(Transport transport) {
    FakeLiveServer server = live.server();
    OkHttpClient noDns =
        server
            .okHttpClient()
            .newBuilder()
            .dns(
                host -> {
                  throw new UnknownHostException(host + ": Name or service not known");
                })
            .build();
    Throwable thrown =
        catchThrowable(
            () ->
                server
                    .sessionBuilder()
                    .transport(transport)
                    .baseUrl("https://" + UNKNOWN_HOST)
                    .httpClient(noDns)
                    .connect());
    assertThat(thrown).isInstanceOf(LiveConnectException.class);
    assertThat(thrown.getMessage())
        .contains(UNKNOWN_HOST)
        .contains("could not be resolved")
        .doesNotContain("connection lost");
  }
}
