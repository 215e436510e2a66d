package dev.geminilive.testkit;

import dev.geminilive.testkit.internal.Step;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The behaviour of the fake model: rules that map a user turn to a {@link Reply}, plus pacing.
 *
 * <p>Get one through {@link FakeLiveServer#script(Consumer)} (a fresh script passed to your
 * configurer) or {@link #create()} / {@link #echo()}. Rules are tried in the order they were added;
 * the first match replies. A turn no rule matches gets the echo reply ("You said: X" spoken and as
 * text; audio turns: "I heard N ms of audio."; tool responses: "Done."). Configure a script before
 * installing it; installed scripts are read by the server thread (the rule list is thread-safe).
 *
 * <pre>{@code
 * server.script(s -> s
 *     .onText("hello").reply(r -> r.say("Hi, I'm Laura.", Duration.ofMillis(800)))
 *     .onText(t -> t.contains("book")).callTool("schedule_appointment", Map.of("client_id", "c1"))
 *     .onToolResponse("schedule_appointment").reply(r -> r.say("Booked."))
 *     .onAudio().reply(r -> r.inputTranscript("hello there").say("Hello!"))
 *     .onAnyText().reply(r -> r.text("...")));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Script {
  /** The default size of one audio chunk the fake model sends. */
  public static final Duration DEFAULT_AUDIO_CHUNK = Duration.ofMillis(40);

  record Rule(Predicate<UserTurn> matcher, BiConsumer<UserTurn, Reply> reply) {}

  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private volatile Duration audioChunk = DEFAULT_AUDIO_CHUNK;
  private volatile double speed = 0;

  private Script() {}

  /**
   * Returns an empty script (every turn gets the echo reply until rules are added).
   *
   * @return a new script without rules
   */
  public static Script create() {
    return new Script();
  }

  /**
   * Returns the default script: the echo reply for every turn.
   *
   * @return a new echo script
   */
  public static Script echo() {
    return new Script();
  }

  /**
   * Matches a text or client-content turn equal to {@code text}, ignoring case and edge spaces.
   *
   * @param text the text to match
   * @return the rule's continuation, which sets the reply
   */
  public When onText(String text) {
    Objects.requireNonNull(text, "text");
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    return onText(t -> t.trim().toLowerCase(Locale.ROOT).equals(wanted));
  }

  /**
   * Matches a text or client-content turn whose text satisfies {@code predicate}.
   *
   * @param predicate the test on the turn's text
   * @return the rule's continuation, which sets the reply
   */
  public When onText(Predicate<String> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return on(
        turn ->
            (turn.kind() == UserTurn.Kind.TEXT || turn.kind() == UserTurn.Kind.CLIENT_CONTENT)
                && predicate.test(turn.text()));
  }

  /**
   * Matches any text or client-content turn.
   *
   * @return the rule's continuation, which sets the reply
   */
  public When onAnyText() {
    return onText(t -> true);
  }

  /**
   * Matches any user audio turn.
   *
   * @return the rule's continuation, which sets the reply
   */
  public When onAudio() {
    return on(turn -> turn.kind() == UserTurn.Kind.AUDIO);
  }

  /**
   * Matches the response to the fake model's call of tool {@code name}.
   *
   * @param name the tool name
   * @return the rule's continuation, which sets the reply
   */
  public When onToolResponse(String name) {
    Objects.requireNonNull(name, "name");
    return on(turn -> turn.kind() == UserTurn.Kind.TOOL_RESPONSE && name.equals(turn.toolName()));
  }

  /**
   * Matches any tool response.
   *
   * @return the rule's continuation, which sets the reply
   */
  public When onAnyToolResponse() {
    return on(turn -> turn.kind() == UserTurn.Kind.TOOL_RESPONSE);
  }

  /**
   * Matches turns satisfying {@code matcher}: the general form of the other {@code on*}.
   *
   * @param matcher the test on the user turn
   * @return the rule's continuation, which sets the reply
   */
  public When on(Predicate<UserTurn> matcher) {
    return new When(Objects.requireNonNull(matcher, "matcher"));
  }

  /**
   * Sets the length of each audio chunk the fake model sends (default 40 ms).
   *
   * @param chunk the chunk length; positive
   * @return this script
   */
  public Script audioChunk(Duration chunk) {
    Objects.requireNonNull(chunk, "chunk");
    if (chunk.toMillis() < 1) {
      throw new IllegalArgumentException("chunk must be at least 1 ms: " + chunk);
    }
    this.audioChunk = chunk;
    return this;
  }

  /**
   * Emits replies as fast as possible (the default): no gaps between chunks.
   *
   * @return this script
   */
  public Script asFastAsPossible() {
    this.speed = 0;
    return this;
  }

  /**
   * Paces audio in real time: each chunk follows the previous one after the chunk's length.
   *
   * @return this script
   */
  public Script realTime() {
    return speed(1.0);
  }

  /**
   * Paces audio at {@code factor} times real time (2.0 = twice as fast as speech).
   *
   * @param factor the speed-up; positive
   * @return this script
   */
  public Script speed(double factor) {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("factor must be > 0: " + factor);
    }
    this.speed = factor;
    return this;
  }

  Duration audioChunk() {
    return audioChunk;
  }

  /** Returns 0 for as-fast-as-possible, else the pacing factor. */
  double speed() {
    return speed;
  }

  /** Returns the reply steps for {@code turn}: the first matching rule's, else the echo's. */
  List<Step> replyTo(UserTurn turn) {
    Reply reply = new Reply();
    for (Rule rule : rules) {
      if (rule.matcher().test(turn)) {
        rule.reply().accept(turn, reply);
        return reply.steps();
      }
    }
    echo(turn, reply);
    return reply.steps();
  }

  static void echo(UserTurn turn, Reply reply) {
    switch (turn.kind()) {
      case TEXT, CLIENT_CONTENT -> {
        String answer = "You said: " + turn.text();
        reply.say(answer).text(answer);
      }
      case AUDIO -> reply.say("I heard " + turn.audioDuration().toMillis() + " ms of audio.");
      case TOOL_RESPONSE -> reply.say("Done.");
    }
  }

  /** The second half of a rule: what the fake model does when the rule matches. */
  public final class When {
    private final Predicate<UserTurn> matcher;

    private When(Predicate<UserTurn> matcher) {
      this.matcher = matcher;
    }

    /**
     * Replies with the steps {@code reply} adds.
     *
     * @param reply adds the reply's steps
     * @return the script, to add more rules
     */
    public Script reply(Consumer<Reply> reply) {
      Objects.requireNonNull(reply, "reply");
      return reply((turn, r) -> reply.accept(r));
    }

    /**
     * Replies with steps computed from the turn (its text, audio, tool result, history).
     *
     * @param reply adds the reply's steps, given the matched turn
     * @return the script, to add more rules
     */
    public Script reply(BiConsumer<UserTurn, Reply> reply) {
      rules.add(new Rule(matcher, Objects.requireNonNull(reply, "reply")));
      return Script.this;
    }

    /**
     * Speaks {@code text} (shortcut for {@code reply(r -> r.say(text))}).
     *
     * @param text the transcript to speak
     * @return the script, to add more rules
     */
    public Script say(String text) {
      return reply(r -> r.say(text));
    }

    /**
     * Calls tool {@code name} with {@code args} and waits for its response.
     *
     * @param name the tool name
     * @param args the call's arguments
     * @return the script, to add more rules
     */
    public Script callTool(String name, Map<String, ?> args) {
      return reply(r -> r.callTool(name, args));
    }
  }
}
