package dev.geminilive;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one direction of speech is transcribed ({@code AudioTranscriptionConfig}): terms to bias the
 * transcript towards, the languages to expect and the style. {@link #defaults()} sets none of them,
 * which is what {@code inputTranscription(true)} sends.
 *
 * <pre>{@code
 * builder.inputTranscription(Transcription.defaults()
 *     .customVocabulary("Laura", "Brooklyn", "SKU-4471")
 *     .languageCodes("en-US", "es-US")
 *     .mode(TranscriptionMode.VERBATIM));
 * }</pre>
 *
 * <p>Immutable and thread-safe; each method returns a copy.
 *
 * @param customVocabulary domain terms (names, product codes) the transcript should favour; Vertex
 *     AI documents it for {@code gemini-3.8-live}
 * @param languageCodes BCP-47 codes of the languages the speech is in; empty to let the service
 *     detect them
 * @param mode how the speech is written down, or null for the service default
 * @since 0.1
 */
public record Transcription(
    List<String> customVocabulary, List<String> languageCodes, @Nullable TranscriptionMode mode) {

  private static final Transcription DEFAULTS = new Transcription(List.of(), List.of(), null);

  /**
   * Checks the arguments and copies the lists.
   *
   * @param customVocabulary domain terms; none blank
   * @param languageCodes BCP-47 language codes
   * @param mode the style, or null for the service default
   */
  public Transcription {
    customVocabulary = List.copyOf(customVocabulary);
    for (String term : customVocabulary) {
      if (term.isBlank()) {
        throw new IllegalArgumentException("customVocabulary must not contain a blank term");
      }
    }
    languageCodes = List.copyOf(languageCodes);
    for (String code : languageCodes) {
      if (Locale.forLanguageTag(code).getLanguage().isEmpty()) {
        throw new IllegalArgumentException(
            "languageCodes must be BCP-47 language tags such as en-US: " + code);
      }
    }
  }

  /** {@return transcription with the service's defaults: no vocabulary, languages or mode} */
  public static Transcription defaults() {
    return DEFAULTS;
  }

  /**
   * A copy with these domain terms.
   *
   * @param terms the terms, such as names and product codes; none blank
   * @return the copy
   */
  public Transcription customVocabulary(String... terms) {
    return new Transcription(List.of(terms), languageCodes, mode);
  }

  /**
   * A copy with these languages.
   *
   * @param codes BCP-47 codes such as {@code en-US}
   * @return the copy
   */
  public Transcription languageCodes(String... codes) {
    return new Transcription(customVocabulary, List.of(codes), mode);
  }

  /**
   * A copy with this style.
   *
   * @param mode how speech is written down
   * @return the copy
   */
  public Transcription mode(TranscriptionMode mode) {
    return new Transcription(customVocabulary, languageCodes, Objects.requireNonNull(mode, "mode"));
  }
}
