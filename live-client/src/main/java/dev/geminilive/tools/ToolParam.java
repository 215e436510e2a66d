package dev.geminilive.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one argument of a {@link LiveTool} method.
 *
 * <p>Without {@link #name()}, the Java parameter name is used verbatim, which requires compiling
 * with {@code -parameters}; registration fails if the names are missing. An argument is required
 * unless {@link #required()} is false, its type is {@code Optional}, or it is annotated with a
 * {@code @Nullable} annotation; a missing optional argument is passed as {@code null}, {@code
 * Optional.empty()} or the primitive default.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ToolParam {
  /**
   * The argument name the model sees; defaults to the Java parameter name.
   *
   * @return the argument name; empty means the Java parameter name
   */
  String name() default "";

  /**
   * What the argument means, including its format where that helps the model.
   *
   * @return the description; empty for none
   */
  String description() default "";

  /**
   * Whether the model must supply it.
   *
   * @return true if the model must supply the argument
   */
  boolean required() default true;

  /**
   * A schema {@code format} overriding the derived one (for example {@code "date"}); empty keeps
   * the derived format.
   *
   * @return the schema format; empty keeps the derived one
   */
  String format() default "";
}
