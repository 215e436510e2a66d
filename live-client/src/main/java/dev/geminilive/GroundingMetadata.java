package dev.geminilive;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the model grounded its answer on ({@code serverContent.groundingMetadata}), sent when a
 * grounding tool such as Google Search is on: the queries it ran and the web sources it used. The
 * parts most applications show are typed; the whole object is in {@link #json()}. Google's terms
 * ask that the search entry point be shown with grounded answers. Not the SDK's {@code
 * com.google.genai.types.GroundingMetadata}. Immutable and thread-safe.
 *
 * @param webSearchQueries the search queries the model ran ({@code webSearchQueries}); may be empty
 * @param sources the web sources it cites ({@code groundingChunks[].web}); may be empty
 * @param searchEntryPointHtml the HTML of the search entry point ({@code
 *     searchEntryPoint.renderedContent}), or null when not sent
 * @param json the whole {@code groundingMetadata} object as sent; do not modify it
 * @since 0.1
 */
public record GroundingMetadata(
    List<String> webSearchQueries,
    List<Source> sources,
    @Nullable String searchEntryPointHtml,
    JsonNode json) {

  /**
   * One web source of a grounded answer.
   *
   * @param uri the page's address
   * @param title the page's title, empty when not sent
   */
  public record Source(String uri, String title) {
    /**
     * Checks the fields.
     *
     * @param uri the page's address
     * @param title the page's title
     */
    public Source {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(title, "title");
    }
  }

  /**
   * Copies the lists.
   *
   * @param webSearchQueries the search queries
   * @param sources the web sources
   * @param searchEntryPointHtml the search entry point's HTML, or null
   * @param json the whole object as sent
   */
  public GroundingMetadata {
    webSearchQueries = List.copyOf(webSearchQueries);
    sources = List.copyOf(sources);
    Objects.requireNonNull(json, "json");
  }
}
