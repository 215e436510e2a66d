package dev.geminilive;

import java.util.List;
import java.util.Objects;

/**
 * The pages the URL context tool fetched for the model ({@code serverContent.urlContextMetadata}).
 * Not the SDK's {@code com.google.genai.types.UrlContextMetadata}. Immutable and thread-safe.
 *
 * @param urls one entry per page the tool tried
 * @since 0.1
 */
public record UrlContextMetadata(List<Url> urls) {

  /**
   * One page the tool tried.
   *
   * @param retrievedUrl the page's address ({@code retrievedUrl})
   * @param status how the retrieval went ({@code urlRetrievalStatus}, e.g. {@code
   *     URL_RETRIEVAL_STATUS_SUCCESS}), empty when not sent
   */
  public record Url(String retrievedUrl, String status) {
    /**
     * Checks the fields.
     *
     * @param retrievedUrl the page's address
     * @param status the retrieval status
     */
    public Url {
      Objects.requireNonNull(retrievedUrl, "retrievedUrl");
      Objects.requireNonNull(status, "status");
    }

    /**
     * Whether the page was fetched ({@code URL_RETRIEVAL_STATUS_SUCCESS}).
     *
     * @return true when the retrieval succeeded
     */
    public boolean succeeded() {
      return "URL_RETRIEVAL_STATUS_SUCCESS".equals(status);
    }
  }

  /**
   * Copies the list.
   *
   * @param urls the pages
   */
  public UrlContextMetadata {
    urls = List.copyOf(urls);
  }
}
