package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** An ephemeral token the fake live server accepts, with its limits and locked setup. */
public final class TokenGrant {
  private static final String RESUMPTION = "sessionResumption";

  public final String name;

  /** Allowed sessions; 0 = unlimited. */
  public final int uses;

  public final AtomicInteger used = new AtomicInteger();
  public final @Nullable Instant expireTime;
  public final @Nullable Instant newSessionExpireTime;
  public final @Nullable ObjectNode lockedSetup;

  /** Null: every field of {@link #lockedSetup} is locked. */
  public final @Nullable List<String> fieldMask;

  public TokenGrant(
      String name,
      int uses,
      @Nullable Instant expireTime,
      @Nullable Instant newSessionExpireTime,
      @Nullable ObjectNode lockedSetup,
      @Nullable List<String> fieldMask) {
    this.name = name;
    this.uses = uses;
    this.expireTime = expireTime;
    this.newSessionExpireTime = newSessionExpireTime;
    this.lockedSetup = lockedSetup;
    this.fieldMask = fieldMask == null ? null : List.copyOf(fieldMask);
  }

  /** Consumes one use; false when none is left. */
  public boolean consumeUse() {
    if (uses <= 0) {
      used.incrementAndGet();
      return true;
    }
    return used.getAndUpdate(n -> n < uses ? n + 1 : n) < uses;
  }

  /**
   * Returns {@code clientSetup} with the locked fields replaced by the token's values: the fields
   * named in the field mask (paths such as {@code generationConfig.temperature}), or every
   * top-level field of the locked setup when there is no mask.
   *
   * <p>A locked {@code sessionResumption} keeps the client's {@code handle}: the token fixes
   * whether and how a session may be resumed, the handle says which session to resume. The
   * service's ephemeral-token guide has a token lock {@code sessionResumption: {}} and says the
   * call is reconnected every ten minutes with session resumption on the same token, which only
   * works if the handle gets through the lock. (A forum report, discuss.ai.google.dev topic 118577,
   * says the real service did not keep the context on such a resume; the fake follows the
   * documentation.)
   */
  public ObjectNode apply(ObjectNode clientSetup) {
    if (lockedSetup == null) {
      return clientSetup;
    }
    ObjectNode out = clientSetup.deepCopy();
    if (fieldMask == null) {
      Iterator<Map.Entry<String, JsonNode>> it = lockedSetup.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), e.getValue().deepCopy());
      }
      return keepHandle(clientSetup, out);
    }
    for (String path : fieldMask) {
      String[] keys = path.trim().split("\\.");
      JsonNode source = lockedSetup;
      for (String k : keys) {
        source = source.path(Json.toCamel(k));
      }
      ObjectNode target = out;
      for (int i = 0; i < keys.length - 1; i++) {
        String k = Json.toCamel(keys[i]);
        if (!(target.get(k) instanceof ObjectNode)) {
          target.set(k, Json.object());
        }
        target = (ObjectNode) target.get(k);
      }
      String last = Json.toCamel(keys[keys.length - 1]);
      if (source.isMissingNode()) {
        target.remove(last);
      } else {
        target.set(last, source.deepCopy());
      }
    }
    return keepHandle(clientSetup, out);
  }

  /** Puts the client's resumption handle back where the lock left resumption on. */
  private static ObjectNode keepHandle(ObjectNode clientSetup, ObjectNode out) {
    JsonNode handle = clientSetup.path(RESUMPTION).path("handle");
    if (handle.isTextual() && out.get(RESUMPTION) instanceof ObjectNode resumption) {
      resumption.set("handle", handle.deepCopy());
    }
    return out;
  }
}
