package dev.keywarm.runner.loading;

import dev.keywarm.loader.FieldLoader;
import dev.keywarm.loader.KeyLoader;
import dev.keywarm.loader.LoadedValue;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A zero-code loader: {@code GET} on a URL built from the key. The key is split on a literal
 * separator; {@code {1}}, {@code {2}}, … in the template are its segments (1-based), {@code {key}}
 * the whole key, each URL-encoded. For key {@code product:42:detail}, separator {@code :} and
 * template {@code http://localhost:8080/products/{2}} the loader calls {@code /products/42}.
 *
 * <p>A template with {@code {field}} is a hash-field template ({@link #forFields}): for the field
 * {@code profile} of the hash {@code user:42}, {@code {key}} is {@code user:42}, {@code {1}},
 * {@code {2}} its segments, {@code {field}} is {@code profile} — {@code
 * http://host/users/{2}/{field}} calls {@code /users/42/profile}. The CLI registers such a template
 * for fields ({@code registerFields}, the pattern matched against the hash's key) and any other for
 * keys, so a key template is never used for a field (every field of a hash would get the same URL).
 *
 * <p>Two modes, because applications cache in two ways:
 *
 * <ul>
 *   <li>{@link Store#BODY}: the response body is the cache value; the runner stores it with {@code
 *       SET NX} (TTL from the response's {@code Cache-Control: max-age}, else the pattern's or the
 *       default). For endpoints that return exactly what the cache holds.
 *   <li>{@link Store#NONE}: the endpoint fills the cache itself, the usual cache-aside way; the
 *       body is ignored and the runner writes nothing. For endpoints that serialise differently
 *       from the cache, or cache more than one key per call.
 * </ul>
 *
 * 2xx is a value (or, with NONE, done); 404 is a missing key; any other status is a failure — an
 * answer about that key, which the runner never reads as overload. A request that gets no response
 * within the timeout throws {@link java.net.http.HttpTimeoutException}: the runner counts it as
 * timed out, as it does a call its own watchdog stops.
 */
public final class HttpTemplateLoader implements KeyLoader, FieldLoader {

  /** What happens to the response body. */
  public enum Store {
    BODY,
    NONE
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(key|field|\\d+)}");
  private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");

  private final String template;
  private final String separator;
  private final Store store;
  private final Duration timeout;
  private final HttpClient http;

  public HttpTemplateLoader(String template, String separator, Store store, Duration timeout) {
    this.template = template;
    this.separator = separator;
    this.store = store;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    // a malformed template fails at configuration, not once per key
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (m.group(1).matches("\\d+") && Integer.parseInt(m.group(1)) < 1) {
        throw new IllegalArgumentException("segments are numbered from 1: " + template);
      }
    }
    URI.create(PLACEHOLDER.matcher(template).replaceAll("x"));
  }

  /** True if the template names {@code {field}}: it loads hash fields, not keys. */
  public boolean forFields() {
    return template.contains("{field}");
  }

  /** The URL for a key (public for tests and for the CLI's dry run). */
  public URI url(String key) {
    return url(key, null);
  }

  /**
   * The URL for the field {@code field} of the hash {@code key}; {@code field} null for a plain
   * key, whose template must not name {@code {field}}.
   */
  public URI url(String key, String field) {
    String[] segments = key.split(Pattern.quote(separator), -1);
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (name.equals("key")) {
        value = key;
      } else if (name.equals("field")) {
        if (field == null) {
          throw new IllegalArgumentException("{field} in a template for plain keys: " + template);
        }
        value = field;
      } else {
        int index = Integer.parseInt(name);
        value = index <= segments.length ? segments[index - 1] : null;
        if (value == null) {
          throw new IllegalArgumentException(
              "key '" + key + "' has no segment " + index + " (separator '" + separator + "')");
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(encode(value)));
    }
    m.appendTail(out);
    return URI.create(out.toString());
  }

  @Override
  public LoadedValue load(byte[] key) throws IOException, InterruptedException {
    return get(url(new String(key, StandardCharsets.UTF_8)));
  }

  @Override
  public LoadedValue loadField(byte[] key, byte[] field) throws IOException, InterruptedException {
    return get(
        url(new String(key, StandardCharsets.UTF_8), new String(field, StandardCharsets.UTF_8)));
  }

  private LoadedValue get(URI uri) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    int status = response.statusCode();
    if (status == 404) {
      return null;
    }
    if (status < 200 || status > 299) {
      throw new IOException("HTTP " + status + " from " + uri);
    }
    if (store == Store.NONE) {
      return LoadedValue.storedByLoader();
    }
    Optional<Duration> maxAge =
        response
            .headers()
            .firstValue("Cache-Control")
            .map(v -> MAX_AGE.matcher(v.toLowerCase(Locale.ROOT)))
            .filter(Matcher::find)
            .map(mm -> Duration.ofSeconds(Long.parseLong(mm.group(1))))
            .filter(d -> !d.isZero());
    return maxAge.isPresent()
        ? LoadedValue.of(response.body(), maxAge.get())
        : LoadedValue.of(response.body());
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** True with {@link Store#NONE}: the endpoint fills the cache itself, no value comes back. */
  public boolean storesItself() {
    return store == Store.NONE;
  }

  @Override
  public String toString() {
    return "GET " + template + " (store=" + store.name().toLowerCase(Locale.ROOT) + ")";
  }
}
