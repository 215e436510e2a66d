package dev.geminilive.spring;

import dev.geminilive.tools.LiveTool;
import dev.geminilive.tools.ToolRegistry;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the beans with {@link LiveTool} methods and turns them into one {@link ToolRegistry}.
 *
 * <p>Each bean is registered as Spring hands it out, proxy included, so a tool call goes through
 * the bean's advice: {@code @Transactional}, {@code @PreAuthorize}, metrics. The tool schema is
 * read from the bean's own class (CGLIB proxies subclass it, so the library finds the annotated
 * methods on the superclass and calls them on the proxy). JDK interface proxies hide the class, so
 * such a bean is refused at start-up with a message saying what to change.
 *
 * <p>Beans are collected while the context starts; the registry is built once every singleton
 * exists, so a duplicate tool name or a tool the library cannot describe stops the start.
 * Thread-safe after start-up.
 */
final class LiveToolBeans implements BeanPostProcessor, SmartInitializingSingleton {
  // Written while singletons are created (one thread), read after: published by the volatile.
  private final List<Object> handlers = new ArrayList<>();
  private volatile @Nullable ToolRegistry registry;

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (!hasLiveTools(type)) {
      return bean;
    }
    if (AopUtils.isJdkDynamicProxy(bean)) {
      throw new BeanCreationException(
          beanName,
          "Bean '"
              + beanName
              + "' has @LiveTool methods but is a JDK interface proxy, which hides them. Let"
              + " Spring proxy the class instead: spring.aop.proxy-target-class=true (the"
              + " default), or @EnableTransactionManagement(proxyTargetClass = true).");
    }
    synchronized (handlers) {
      handlers.add(bean);
    }
    return bean;
  }

  @Override
  public void afterSingletonsInstantiated() {
    registry();
  }

  /** The tools of every {@code @LiveTool} bean, built on first use. */
  ToolRegistry registry() {
    ToolRegistry r = registry;
    if (r == null) {
      synchronized (handlers) {
        r = registry;
        if (r == null) {
          try {
            r = handlers.isEmpty() ? ToolRegistry.empty() : ToolRegistry.of(handlers.toArray());
          } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException(
                "The @LiveTool beans cannot be registered: " + e.getMessage(), e);
          }
          registry = r;
        }
      }
    }
    return r;
  }

  private static boolean hasLiveTools(Class<?> type) {
    boolean[] found = {false};
    ReflectionUtils.doWithMethods(
        type,
        m -> found[0] = true,
        m -> !found[0] && AnnotatedElementUtils.hasAnnotation(m, LiveTool.class));
    return found[0];
  }
}
