/**
 * Conversation flows: a workflow given to the model one step at a time. A {@link
 * dev.geminilive.flow.Flow} is a set of named {@link dev.geminilive.flow.Stage}s; each stage has
 * its own rules and tools, the persona and guardrails are shared, and {@link
 * dev.geminilive.flow.Transition}s say where the conversation goes next, when, and what it carries
 * along. Give a flow to {@link dev.geminilive.LiveSessionBuilder#flow(Flow)}; the running session
 * changes its context at every stage ({@code contextUpdate} where the model takes it, a planned
 * move to a new connection elsewhere), answers calls to tools of other stages with an informative
 * refusal, tells the listener ({@link dev.geminilive.LiveListener#onStageChanged}) and can be
 * inspected and moved through {@link dev.geminilive.ResilientLiveSession#flow()}.
 *
 * @since 0.1
 */
@Experimental
@NullMarked
package dev.geminilive.flow;

import dev.geminilive.Experimental;
import org.jspecify.annotations.NullMarked;
