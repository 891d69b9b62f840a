package dev.keywarm.analyzer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keywarm.analyzer.analysis.AnalysisResult;

/**
 * The analysis as JSON: the {@link AnalysisResult} record tree as it is, fields in declaration
 * order, so the schema documented in analyzer/README.md is the records' shape. NaN (a fit that
 * could not be made) is written as the string "NaN", as Jackson does by default.
 */
public final class JsonReport {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(AnalysisResult result) {
    try {
      return MAPPER.writeValueAsString(result) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the analysis", e);
    }
  }
}
