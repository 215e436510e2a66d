package dev.geminilive;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks API that may change or go away in any release, without the deprecation period stable API
 * gets: features only a preview model offers (they change when the model does) and the SDK
 * transport (it follows the SDK's experimental live module). The binary-compatibility check skips
 * what carries it; see CONTRIBUTING.md.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.TYPE,
  ElementType.METHOD,
  ElementType.CONSTRUCTOR,
  ElementType.FIELD,
  ElementType.PACKAGE
})
public @interface Experimental {}
