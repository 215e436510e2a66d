/** The career coach as a Spring Boot app with a voice page, relayed or browser-direct. */
@NullMarked
package dev.geminilive.examples.spring;

import org.jspecify.annotations.NullMarked;
