/**
 * The career-coach example: "Laura", a voice agent with five tools, runnable offline against the
 * testkit's fake server or online against the Gemini Live API.
 */
@NullMarked
package dev.geminilive.examples.coach;

import org.jspecify.annotations.NullMarked;
