package dev.geminilive.instruction;

import java.util.Locale;
import java.util.Map;

/**
 * What a response language means for a session: the speech config's language code and the
 * instruction's directive, and reading a language from a tag or a name. Stateless.
 */
final class Languages {
  /**
   * Default regions for language codes given without one, as the Live API's speech config expects a
   * region-qualified code for these languages.
   */
  private static final Map<String, String> DEFAULT_REGION =
      Map.ofEntries(
          Map.entry("en", "en-US"),
          Map.entry("es", "es-US"),
          Map.entry("fr", "fr-FR"),
          Map.entry("de", "de-DE"),
          Map.entry("it", "it-IT"),
          Map.entry("pt", "pt-BR"),
          Map.entry("ja", "ja-JP"),
          Map.entry("ko", "ko-KR"),
          Map.entry("hi", "hi-IN"),
          Map.entry("nl", "nl-NL"),
          Map.entry("pl", "pl-PL"),
          Map.entry("ru", "ru-RU"),
          Map.entry("tr", "tr-TR"),
          Map.entry("ar", "ar-XA"),
          Map.entry("zh", "cmn-CN"));

  private Languages() {}

  /** The region-qualified BCP-47 code; see {@link SystemInstruction#languageCode()}. */
  static String code(Locale language) {
    if (!language.getCountry().isEmpty()) {
      return language.toLanguageTag();
    }
    return DEFAULT_REGION.getOrDefault(language.getLanguage(), language.toLanguageTag());
  }

  /** The directive; see {@link SystemInstruction#languageDirective(Locale)}. */
  static String directive(Locale language) {
    String name = language.getDisplayLanguage(Locale.ENGLISH).toUpperCase(Locale.ROOT);
    return "RESPOND IN " + name + ". YOU MUST RESPOND UNMISTAKABLY IN " + name + ".";
  }

  /**
   * A language from a BCP-47 tag ({@code "en-US"}) or an English language name ({@code "English"}).
   *
   * @throws IllegalArgumentException when it is neither
   */
  static Locale parse(String language) {
    if (language.matches("[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*") && !language.matches("[A-Z][a-z]{3,}")) {
      return Locale.forLanguageTag(language);
    }
    for (String code : Locale.getISOLanguages()) {
      Locale candidate = new Locale(code);
      if (candidate.getDisplayLanguage(Locale.ENGLISH).equalsIgnoreCase(language.trim())) {
        return candidate;
      }
    }
    throw new IllegalArgumentException(
        "language '" + language + "' is neither a BCP-47 tag like 'en-US' nor a language name");
  }
}
