namespace RnnLab.Grains.Tests;

/// <summary>Sweep specs of the quadratic benchmark task used by the tests.</summary>
public static class Specs
{
    public static string Quadratic(string name, int trials, int parallelism, int epochs, int delayMs,
        int retries = 0, int failAttempts = 0, long seed = 1) => $$"""
        name: {{name}}
        task: { name: quadratic, options: { delay_ms: {{delayMs}}, fail_attempts: {{failAttempts}} } }
        metric: { name: objective, direction: minimize }
        search:
          sampler: { type: random }
          space:
            lr: { uniform: [0.01, 1.0] }
            momentum: { uniform: [0, 0.99] }
        early_stopping: none
        budget: { trials: {{trials}}, parallelism: {{parallelism}}, max_epochs: {{epochs}} }
        retries: {{retries}}
        seed: {{seed}}
        """;
}
