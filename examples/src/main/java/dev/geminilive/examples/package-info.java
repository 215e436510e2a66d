/**
 * What the examples share: {@link dev.geminilive.examples.ExampleCommandLine}, the command-line
 * handling of their {@code main} methods.
 */
@NullMarked
package dev.geminilive.examples;

import org.jspecify.annotations.NullMarked;
