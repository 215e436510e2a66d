package dev.geminilive.spring;

import dev.geminilive.LiveSessionBuilder;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when a Gemini API key is configured: {@code gemini.live.api-key} or the environment. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(ConditionalOnApiKey.OnApiKey.class)
@interface ConditionalOnApiKey {
  /** The condition. */
  final class OnApiKey extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      var env = context.getEnvironment();
      String key = env.getProperty(GeminiLiveProperties.PREFIX + ".api-key");
      if (key == null || key.isBlank()) {
        key = env.getProperty(LiveSessionBuilder.API_KEY_ENV);
      }
      boolean vertex = env.containsProperty(GeminiLiveProperties.PREFIX + ".vertex.project");
      return key != null && !key.isBlank() && !vertex
          ? ConditionOutcome.match("a Gemini API key is configured")
          : ConditionOutcome.noMatch("no Gemini API key (gemini.live.api-key or GEMINI_API_KEY)");
    }
  }
}
