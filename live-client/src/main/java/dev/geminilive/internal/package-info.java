/**
 * Implementation details: connectors, frames, the session's state machine. Not API: anything here
 * may change in any release.
 */
@NullMarked
package dev.geminilive.internal;

import org.jspecify.annotations.NullMarked;
