/**
 * Implementation of tools: schema derivation, argument validation and the per-session tool
 * dispatcher. Not API: types here may change without notice.
 */
@NullMarked
package dev.geminilive.internal.tools;

import org.jspecify.annotations.NullMarked;
