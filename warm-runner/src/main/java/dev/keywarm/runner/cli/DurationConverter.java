package dev.keywarm.runner.cli;

import dev.keywarm.redis.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli's door to {@link Durations}, keywarm's one duration grammar ({@code 500ms} … {@code 7d},
 * {@code 0}).
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "' is not " + e.getMessage());
    }
  }
}
