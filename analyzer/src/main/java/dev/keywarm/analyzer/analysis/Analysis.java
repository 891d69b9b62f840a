package dev.keywarm.analyzer.analysis;

import dev.keywarm.analyzer.plan.WarmPlan;

/** The report model and the plan that goes with it. */
public record Analysis(AnalysisResult result, WarmPlan plan) {}
