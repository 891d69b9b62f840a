package dev.keywarm.analyzer.analysis;

import dev.keywarm.schema.plan.WarmPlan;

/** The report model and the plan that goes with it. */
public record Analysis(AnalysisResult result, WarmPlan plan) {}
