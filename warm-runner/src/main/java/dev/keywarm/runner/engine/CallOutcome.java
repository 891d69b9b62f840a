package dev.keywarm.runner.engine;

import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * How one loader call ended. The distinction matters for {@link AdaptiveConcurrency}: a timeout
 * says the backend did not answer in time — overload, so fewer calls should be in flight — while a
 * failure (an error response, an exception) is an answer about the key, and cutting concurrency for
 * it only slows the rest of the warm.
 */
public enum CallOutcome {
  /** Values came back (some may be missing). */
  OK,
  /** The loader threw: an HTTP error status, a query error, a bug. */
  FAILED,
  /**
   * No answer in time: the call outlived the per-call timeout, or the loader's own client timed
   * out.
   */
  TIMED_OUT;

  /**
   * A loader's exception: a timeout if it is, or is caused by, one of the JDK's timeout exceptions
   * (the HTTP loader's client, a socket read, a JDBC query, a future); otherwise a failure.
   */
  public static CallOutcome of(Throwable error) {
    Throwable t = error;
    for (int depth = 0;
        t != null && depth < 16;
        depth++, t = t.getCause()) { // bounded: causes may cycle
      if (t instanceof HttpTimeoutException
          || t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || isSqlTimeout(t.getClass())) {
        return TIMED_OUT;
      }
    }
    return FAILED;
  }

  /** By name: a runtime without the java.sql module must still load this class. */
  private static boolean isSqlTimeout(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals("java.sql.SQLTimeoutException")) {
        return true;
      }
    }
    return false;
  }
}
