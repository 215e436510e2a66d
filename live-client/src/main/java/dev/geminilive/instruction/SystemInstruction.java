package dev.geminilive.instruction;

import dev.geminilive.LiveConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable system instruction for a Live session, rendered in the bold-Markdown structure the
 * Live API guides recommend.
 *
 * <p>{@link #render()} produces, in this order and omitting empty sections:
 *
 * <pre>{@code
 * **PERSONA:**
 * <persona text>
 * Known about the user: name: Ada Lovelace; state: NY.     (only with personalData(..))
 * **CONVERSATIONAL RULES:**
 * 1. **Title:** text                                      (or "1. text" without a title)
 * **GENERAL GUIDELINES:**
 * <one guideline as a paragraph, several as "- " bullets>
 * **GUARDRAILS:**
 * <one guardrail as a paragraph, several as "- " bullets>
 * RESPOND IN ENGLISH. YOU MUST RESPOND UNMISTAKABLY IN ENGLISH.   (only with language(..))
 * }</pre>
 *
 * <p>The app's known personal data (for example the user's name) is rendered <em>inside</em> the
 * persona section, never as a separate labelled block, because the model treats persona text as who
 * it is talking to while a free-standing data block reads like instructions.
 *
 * <p>Get one with {@link #builder()}; derive variants with {@link #toBuilder()}. Instances are
 * immutable and thread-safe; builders are not thread-safe.
 *
 * <pre>{@code
 * SystemInstruction si = SystemInstruction.builder()
 *     .persona("You are Laura, a career coach from Brooklyn, NY. ...")
 *     .personalData("name", "Ada Lovelace")
 *     .rule("Intake", "Ask for full name, date of birth and state. Call `create_client_profile`.")
 *     .guardrail("Never reinforce negativity.")
 *     .language("en-US")
 *     .build();
 * si.lint(Set.of("create_client_profile"));   // throws if a rule names an undeclared tool
 * String text = si.render();
 * }</pre>
 *
 * @since 0.1
 */
public final class SystemInstruction {
  /** Fewer persona words than this produce a lint warning; the guides recommend 50 to 100. */
  public static final int MIN_PERSONA_WORDS = 25;

  /** More persona words than this produce a lint warning; the guides recommend 50 to 100. */
  public static final int MAX_PERSONA_WORDS = 200;

  private final String persona;
  private final List<Map.Entry<String, String>> personalData;
  private final List<Rule> rules;
  private final List<String> guidelines;
  private final List<String> guardrails;
  private final @Nullable Locale language;

  private SystemInstruction(Builder b) {
    this.persona = b.persona;
    this.personalData = List.copyOf(b.personalData);
    this.rules = List.copyOf(b.rules);
    this.guidelines = List.copyOf(b.guidelines);
    this.guardrails = List.copyOf(b.guardrails);
    this.language = b.language;
  }

  /**
   * Returns a new, empty builder.
   *
   * @return a new builder with no content
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this instruction's content, to derive a variant.
   *
   * @return a new builder; changing it does not change this instruction
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.persona = persona;
    b.personalData.addAll(personalData);
    b.rules.addAll(rules);
    b.guidelines.addAll(guidelines);
    b.guardrails.addAll(guardrails);
    b.language = language;
    return b;
  }

  /**
   * The persona text, empty when none was set.
   *
   * @return the persona text, or an empty string
   */
  public String persona() {
    return persona;
  }

  /** The facts about the user, in order, for the renderer. */
  List<Map.Entry<String, String>> personalData() {
    return personalData;
  }

  /**
   * The conversational rules, in order.
   *
   * @return the rules, unmodifiable; empty if none
   */
  public List<Rule> rules() {
    return rules;
  }

  /**
   * The general guidelines, in order.
   *
   * @return the guidelines, unmodifiable; empty if none
   */
  public List<String> guidelines() {
    return guidelines;
  }

  /**
   * The guardrails, in order.
   *
   * @return the guardrails, unmodifiable; empty if none
   */
  public List<String> guardrails() {
    return guardrails;
  }

  /**
   * The response language, if one was set.
   *
   * @return the language, or empty if none was set
   */
  public Optional<Locale> language() {
    return Optional.ofNullable(language);
  }

  /**
   * The BCP-47 language code for the session's speech config ({@code speechConfig.languageCode}),
   * for example {@code "en-US"}, if a language was set. A language without a region gets a default
   * region for common languages ({@code en} becomes {@code en-US}).
   *
   * @return the language code, such as {@code en-US}, or empty if no language was set
   */
  public Optional<String> languageCode() {
    return language == null ? Optional.empty() : Optional.of(Languages.code(language));
  }

  /**
   * Renders the instruction text to send as {@code systemInstruction}.
   *
   * @return the instruction text in Markdown sections; empty sections are left out
   */
  public String render() {
    return InstructionText.render(this);
  }

  /**
   * The directive that makes the model answer in one language, for example {@code RESPOND IN
   * ENGLISH. YOU MUST RESPOND UNMISTAKABLY IN ENGLISH.}
   *
   * @param language the language; only its language part is used
   * @return the directive, one line
   */
  public static String languageDirective(Locale language) {
    return Languages.directive(language);
  }

  /**
   * Cross-checks this instruction against the declared tools, running every {@link
   * InstructionCheck}.
   *
   * <p>A tool reference is a backticked word that names a declared tool, looks like a tool name
   * ({@code `create_client_profile`}, {@code `getWeather`}) or is called ("call {@code `lookup`}");
   * any other backticked word ({@code `markdown`}) is not one. A reference to a tool that is not
   * declared is an error: the model would try to call a tool it does not have. A declared tool that
   * no section mentions, and a persona outside {@value #MIN_PERSONA_WORDS} to {@value
   * #MAX_PERSONA_WORDS} words, are warnings: each is returned, and logged at WARN once per
   * instruction (linting an equal instruction again, as every {@code build()} of the same spec
   * does, logs nothing new). Tool descriptions are not checked.
   *
   * @param declaredToolNames the names of the tools the session declares
   * @return the warnings, empty when there are none
   * @throws LiveConfigException (field {@code "systemInstruction"}) naming each undeclared tool
   */
  public List<String> lint(Set<String> declaredToolNames) {
    return lint(declaredToolNames, Set.of());
  }

  /**
   * Cross-checks this instruction against the declared tools like {@link #lint(Set)}, leaving out
   * the checks in {@code ignored}.
   *
   * @param declaredToolNames the names of the tools the session declares
   * @param ignored the checks not to run
   * @return the warnings of the checks that ran, empty when there are none
   * @throws LiveConfigException (field {@code "systemInstruction"}) naming each undeclared tool,
   *     unless {@link InstructionCheck#UNDECLARED_TOOL} is ignored
   */
  public List<String> lint(Set<String> declaredToolNames, Set<InstructionCheck> ignored) {
    return InstructionLint.lint(this, declaredToolNames, ignored);
  }

  /**
   * The tool names the instruction refers to on its own, in first-seen order: backticked words that
   * look like tool names ({@code snake_case}, {@code camelCase}) or that the text calls ("call
   * {@code `lookup`}", "the {@code `lookup`} tool"). {@link #lint} also counts a backticked word
   * that is a declared tool's name.
   *
   * @return the tool names, unmodifiable; empty if none is referenced
   */
  public Set<String> referencedToolNames() {
    return Collections.unmodifiableSet(InstructionLint.references(render(), Set.of()));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SystemInstruction)) {
      return false;
    }
    SystemInstruction that = (SystemInstruction) o;
    return persona.equals(that.persona)
        && personalData.equals(that.personalData)
        && rules.equals(that.rules)
        && guidelines.equals(that.guidelines)
        && guardrails.equals(that.guardrails)
        && Objects.equals(language, that.language);
  }

  @Override
  public int hashCode() {
    return Objects.hash(persona, personalData, rules, guidelines, guardrails, language);
  }

  /** A summary without the instruction text, which may hold personal data. */
  @Override
  public String toString() {
    return "SystemInstruction{personaWords="
        + (persona.isBlank() ? 0 : persona.trim().split("\\s+").length)
        + ", personalData="
        + personalData.size()
        + ", rules="
        + rules.size()
        + ", guidelines="
        + guidelines.size()
        + ", guardrails="
        + guardrails.size()
        + ", language="
        + languageCode().orElse("none")
        + "}";
  }

  /**
   * One numbered conversational rule, optionally with a bold title.
   *
   * @param title the title rendered as {@code **Title:**}, or null for an untitled rule
   * @param text the rule text
   * @since 0.1
   */
  public record Rule(@Nullable String title, String text) {
    /**
     * Validates the rule.
     *
     * @param title the title rendered as {@code **Title:**}, or null for an untitled rule
     * @param text the rule text
     */
    public Rule {
      Objects.requireNonNull(text, "text");
      if (text.isBlank()) {
        throw new IllegalArgumentException("rule text must not be blank");
      }
      if (title != null && title.isBlank()) {
        throw new IllegalArgumentException("rule title must not be blank (use null for none)");
      }
    }
  }

  /**
   * Builds a {@link SystemInstruction}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private String persona = "";
    private final List<Map.Entry<String, String>> personalData = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<String> guidelines = new ArrayList<>();
    private final List<String> guardrails = new ArrayList<>();
    private @Nullable Locale language;

    private Builder() {}

    /**
     * Sets the persona text (who the agent is); 50 to 100 words work best.
     *
     * @param persona the persona text; not blank
     * @return this builder
     */
    public Builder persona(String persona) {
      this.persona = requireText(persona, "persona");
      return this;
    }

    /**
     * Adds a fact the app knows about the user (for example {@code ("name", "Ada Lovelace")}),
     * rendered inside the persona section.
     *
     * @param label what the fact is, such as {@code "name"}
     * @param value the fact's value
     * @return this builder
     */
    public Builder personalData(String label, String value) {
      personalData.add(Map.entry(requireText(label, "label"), requireText(value, "value")));
      return this;
    }

    /**
     * Adds an untitled numbered rule.
     *
     * @param text the rule text; not blank
     * @return this builder
     */
    public Builder rule(String text) {
      rules.add(new Rule(null, requireText(text, "text")));
      return this;
    }

    /**
     * Adds a numbered rule rendered as {@code N. **Title:** text}.
     *
     * @param title the rule title; not blank
     * @param text the rule text; not blank
     * @return this builder
     */
    public Builder rule(String title, String text) {
      rules.add(new Rule(requireText(title, "title"), requireText(text, "text")));
      return this;
    }

    /**
     * Adds a general guideline.
     *
     * @param text the guideline text; not blank
     * @return this builder
     */
    public Builder guideline(String text) {
      guidelines.add(requireText(text, "text"));
      return this;
    }

    /**
     * Adds a guardrail (something the agent must not do).
     *
     * @param text the guardrail text; not blank
     * @return this builder
     */
    public Builder guardrail(String text) {
      guardrails.add(requireText(text, "text"));
      return this;
    }

    /**
     * Sets the response language; adds the language directive and a speech language code.
     *
     * @param language the language to respond in
     * @return this builder
     */
    public Builder language(Locale language) {
      Objects.requireNonNull(language, "language");
      if (language.getLanguage().isEmpty()) {
        throw new IllegalArgumentException("language must name a language, got " + language);
      }
      this.language = language;
      return this;
    }

    /**
     * Sets the response language from a BCP-47 tag ({@code "en-US"}) or an English language name
     * ({@code "English"}).
     *
     * @param language a BCP-47 tag or an English language name
     * @return this builder
     */
    public Builder language(String language) {
      return language(Languages.parse(requireText(language, "language")));
    }

    /**
     * Builds the instruction.
     *
     * @return the immutable instruction
     */
    public SystemInstruction build() {
      return new SystemInstruction(this);
    }

    private static String requireText(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}
