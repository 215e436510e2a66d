package dev.geminilive.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SvgTest {

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void barsAreWellFormedWithOneRectanglePerFiniteValue() throws Exception {
    String svg =
        Svg.bars(
            "speed <&> 'quoted'",
            "× real time",
            List.of("48k→16k", "8k→16k"),
            List.of("library", "SoX rate -h"),
            new double[][] {{2_500, 4_000}, {1_800, Double.NaN}},
            true,
            1_000,
            "goal");
    Document doc = parse(svg);
    // A white background plus three bars and the legend's two swatches.
    assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(1 + 3 + 2);
    assertThat(svg).contains("speed &lt;&amp;&gt; &#39;quoted&#39;").contains("2,500");
  }

  @Test
  void linesSkipMissingPointsAndDrawTheLimit() throws Exception {
    String svg =
        Svg.lines(
            "p99",
            "sessions",
            "ms",
            List.of(
                new Svg.Series("raw OkHttp", new double[] {100, 250}, new double[] {5, 80}),
                new Svg.Series("library", new double[] {100, 250}, new double[] {7, Double.NaN})),
            true,
            50,
            "limit 50 ms");
    Document doc = parse(svg);
    assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(3);
    assertThat(doc.getElementsByTagName("path").getLength()).isEqualTo(2);
    assertThat(svg).contains("limit 50 ms");
  }
}
