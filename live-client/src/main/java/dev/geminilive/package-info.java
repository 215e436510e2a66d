/** Sessions with the Gemini Live API: builder, resilient session, listener and errors. */
@NullMarked
package dev.geminilive;

import org.jspecify.annotations.NullMarked;
