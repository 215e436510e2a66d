package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GoalsTest {

  @Test
  void everyRowOfTheIssuesTableStandsWithItsFigureBeforeWhenNoSectionRan() {
    String table = Goals.section(new Goals.Inputs(null, null, null, null, null, null));

    List<String> rows =
        table.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| figure")).toList();
    assertThat(rows).hasSize(9).allSatisfy(r -> assertThat(r).contains("section not run"));
    assertThat(table)
        .contains("| sustained duplex sessions, p99 < 50 ms both ways")
        .contains("| threads per session (idle, client process) | 3.0 |")
        .contains("| heap per idle session (client process) | 69 KiB |")
        .contains(
            "| receive latency p99 (stamped frames → listener) | 1.19 ms vs raw OkHttp 0.24 ms")
        .contains("| drop → resumed | 230 ms vs cold connect 6.4 ms (36×) |")
        .contains("| tool round trip p50 | 0.56 ms vs raw OkHttp 0.26 ms (2.2×) |")
        .contains("| send burst (messages/s at the server) | 0.91× raw OkHttp |")
        .contains("| resampling × real time per core | 214–429× |")
        .contains("| telephony audio path, cores per 1,000 calls | not measured |");
  }

  @Test
  void theReceiveRowSaysWhetherAnyHandOffOrTheLibrarysOwnStandsInTheWay() {
    // One hand-off to a plain executor costs as much as the library's: the machine's wake-up.
    assertThat(ReceiveReport.handOffVerdict(2.3, 0.26, 2.0))
        .contains("this machine's wake-up of any hand-off")
        .contains("7.69× raw OkHttp");
    // The library far behind a plain hand-off: its own hand-off is the difference.
    assertThat(ReceiveReport.handOffVerdict(2.3, 0.26, 0.3))
        .contains("costs more than a plain one")
        .contains("7.67× raw OkHttp with one hand-off");
    // A plain hand-off costs little and the library is close to it.
    assertThat(ReceiveReport.handOffVerdict(0.35, 0.26, 0.3))
        .contains("1.15× raw OkHttp, the library");
    assertThat(ReceiveReport.handOffVerdict(2.3, 0.26, Double.NaN))
        .contains("wake-up of that worker");
  }
}
