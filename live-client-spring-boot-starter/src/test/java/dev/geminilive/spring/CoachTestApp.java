package dev.geminilive.spring;

import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The application the starter's Spring Boot tests run: auto-configuration only (no component scan),
 * a secured tool bean, HTTP Basic users and a personalised token.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableMethodSecurity
class CoachTestApp {

  @Bean
  CoachDesk coachDesk() {
    return new CoachDesk();
  }

  @Bean
  LiveTokenCustomizer personalisedPersona() {
    return (builder, principal) ->
        builder.persona(
            "You are Laura, a career coach. Your client is " + principal.getName() + ".");
  }

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("maya").password("{noop}maya-pass").roles("CLIENT").build(),
        User.withUsername("sam").password("{noop}sam-pass").roles("VISITOR").build());
  }

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(
            // The token route is open here so that its own check of the principal is tested.
            a ->
                a.requestMatchers("/actuator/health/**", "/api/live/token")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .httpBasic(Customizer.withDefaults())
        .csrf(c -> c.ignoringRequestMatchers("/api/live/token"))
        .build();
  }

  /** A tool bean behind method security, as an application's service would be. */
  static class CoachDesk {
    // Read through accessors: the bean a test holds is the proxy, whose own fields are unset.
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch slowInterrupted = new CountDownLatch(1);
    private volatile boolean slowCancelled;

    /** Lets {@link #slowReport} answer. */
    public void release() {
      release.countDown();
    }

    /** Waits until {@link #slowReport} runs. */
    public boolean awaitSlowStarted() throws InterruptedException {
      return slowStarted.await(10, TimeUnit.SECONDS);
    }

    /**
     * Waits until {@link #slowReport} is interrupted, then says whether it saw its call cancelled.
     */
    public boolean awaitSlowCancelled() throws InterruptedException {
      return slowInterrupted.await(10, TimeUnit.SECONDS) && slowCancelled;
    }

    @LiveTool(name = "whoami", description = "Says which client the session belongs to.")
    @PreAuthorize("hasRole('CLIENT')")
    public String whoami() {
      return SecurityContextHolder.getContext().getAuthentication().getName();
    }

    @LiveTool(name = "slow_report", description = "Builds a report; takes a while.")
    public String slowReport(ToolContext context) throws InterruptedException {
      slowStarted.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          return "timed out";
        }
        return "report ready";
      } catch (InterruptedException e) {
        slowCancelled = context.isCancelled();
        slowInterrupted.countDown();
        throw e;
      }
    }
  }
}
