package dev.geminilive.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A way out of a {@link Stage}: to which stage, when ({@link Trigger}) and what to carry along
 * ({@link CarryOver}).
 *
 * <pre>{@code
 * Transition.to("discussion")
 *     .afterTool("create_client_profile")
 *     .carrying(CarryOver.toolResult("create_client_profile", "client_id"));
 * Transition.to("scheduling").onNextStep("the client has no more action items").carrying(CarryOver.summary());
 * Transition.to("wrap_up").onRequest();
 * }</pre>
 *
 * <p>{@link #to(String)} alone is taken when the model calls {@value Flow#NEXT_STEP_TOOL} without a
 * written condition; prefer {@link #onNextStep(String)}, which tells the model when. Immutable and
 * thread-safe: every method returns a new transition.
 *
 * @since 0.1
 */
public final class Transition {
  private final String target;
  private final Trigger trigger;
  private final List<CarryOver> carried;

  private Transition(String target, Trigger trigger, List<CarryOver> carried) {
    this.target = target;
    this.trigger = trigger;
    this.carried = List.copyOf(carried);
  }

  /**
   * {@return a transition to {@code stage}, taken when the model calls {@value Flow#NEXT_STEP_TOOL}
   * once this step is done}
   *
   * @param stage the name of the stage it leads to
   */
  public static Transition to(String stage) {
    return new Transition(
        Stage.requireName(stage, "stage"), Trigger.nextStep("this step is done"), List.of());
  }

  /**
   * {@return a copy taken when {@code tool}, one of the stage's tools, succeeds}
   *
   * @param tool the tool's name
   */
  public Transition afterTool(String tool) {
    return when(Trigger.toolSucceeded(tool));
  }

  /**
   * {@return a copy taken when the model calls {@value Flow#NEXT_STEP_TOOL}, told to do so when
   * {@code condition} holds}
   *
   * @param condition written for the model, such as {@code "the client has described their
   *     concern"}
   */
  public Transition onNextStep(String condition) {
    return when(Trigger.nextStep(condition));
  }

  /** {@return a copy taken only when the application calls {@link FlowPosition#moveTo}} */
  public Transition onRequest() {
    return when(Trigger.requested());
  }

  /**
   * {@return a copy taken on {@code trigger}}
   *
   * @param trigger when the transition is taken
   */
  public Transition when(Trigger trigger) {
    return new Transition(target, Objects.requireNonNull(trigger, "trigger"), carried);
  }

  /**
   * {@return a copy that also carries these into the next stage}
   *
   * @param carryOver what to carry
   */
  public Transition carrying(CarryOver... carryOver) {
    List<CarryOver> all = new ArrayList<>(carried);
    for (CarryOver c : carryOver) {
      all.add(Objects.requireNonNull(c, "carryOver"));
    }
    return new Transition(target, trigger, all);
  }

  /** {@return the name of the stage it leads to} */
  public String target() {
    return target;
  }

  /** {@return when it is taken} */
  public Trigger trigger() {
    return trigger;
  }

  /** {@return what it carries into the next stage, in the order given} */
  public List<CarryOver> carried() {
    return carried;
  }

  /**
   * {@return whether it carries the model's summary, which {@value Flow#NEXT_STEP_TOOL} asks for}
   */
  public boolean carriesSummary() {
    return carried.contains(CarryOver.summary());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Transition t
        && t.target.equals(target)
        && t.trigger.equals(trigger)
        && t.carried.equals(carried);
  }

  @Override
  public int hashCode() {
    return Objects.hash(target, trigger, carried);
  }

  @Override
  public String toString() {
    return "Transition[to " + target + " when " + trigger + ", carrying " + carried + "]";
  }
}
