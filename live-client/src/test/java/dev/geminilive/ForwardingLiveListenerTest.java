package dev.geminilive;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingLiveListenerTest {
  @Test
  void forwardsEveryListenerMethodWithItsArguments() throws Exception {
    List<String> seen = new ArrayList<>();
    LiveListener recorder =
        (LiveListener)
            Proxy.newProxyInstance(
                LiveListener.class.getClassLoader(),
                new Class<?>[] {LiveListener.class},
                (proxy, method, args) -> {
                  seen.add(method.getName() + ":" + args.length);
                  return null;
                });
    ForwardingLiveListener forwarding = new ForwardingLiveListener(recorder);
    int methods = 0;
    for (Method m : LiveListener.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      assertThat(ForwardingLiveListener.class.getDeclaredMethod(m.getName(), m.getParameterTypes()))
          .as("%s is forwarded", m.getName())
          .isNotNull();
      Object[] args = new Object[m.getParameterCount()];
      m.invoke(forwarding, args);
      assertThat(seen).last().isEqualTo(m.getName() + ":" + args.length);
      methods++;
    }
    assertThat(seen).hasSize(methods);
  }
}
