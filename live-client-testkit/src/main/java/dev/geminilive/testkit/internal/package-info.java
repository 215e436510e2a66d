/**
 * Implementation helpers of the testkit: JSON key normalisation, synthetic audio and close-reason
 * trimming. Not API: anything here may change without notice.
 */
@NullMarked
package dev.geminilive.testkit.internal;

import org.jspecify.annotations.NullMarked;
