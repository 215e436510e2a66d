/**
 * System instructions for Live sessions: {@link dev.geminilive.instruction.SystemInstruction}
 * renders persona, numbered conversational rules, general guidelines and guardrails in the bold
 * Markdown structure the Live API guides recommend, and cross-checks the tools it names against the
 * tools that are declared.
 *
 * @since 0.1
 */
@NullMarked
package dev.geminilive.instruction;

import org.jspecify.annotations.NullMarked;
