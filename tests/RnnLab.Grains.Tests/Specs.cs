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

    /// <summary>Tiny real training trials: the adding task, a few sequences of length 8, 3 epochs.</summary>
    public static string TinyTraining(int trials) => $$"""
        name: tiny-adding
        task: { name: adding, options: { length: 8, train_size: 32, eval_size: 16 } }
        metric: { name: valid.mse, direction: minimize }
        fixed: { hidden: 4, batch: 8, optimizer: adam, seed: 3 }
        search:
          sampler: { type: random }
          space:
            cell: { categorical: [lstm, gru] }
            lr: { loguniform: [1.0e-3, 1.0e-2] }
        budget: { trials: {{trials}}, parallelism: {{trials}}, max_epochs: 3 }
        seed: 7
        """;

    /// <summary>
    /// An evolutionary search over cell graphs on the quadratic task (which ignores the cell, so every graph scores
    /// alike): one mutation at a time from the smallest cell keeps the neighbourhood small and repeats likely.
    /// </summary>
    public static string Evolution(string name, int trials, int parallelism, int epochs, int delayMs) => $$"""
        name: {{name}}
        task: { name: quadratic, options: { delay_ms: {{delayMs}} } }
        metric: { name: objective, direction: minimize }
        search:
          sampler: { type: evolution, seed: 5, seeds: [rnn-tanh], population: 2, tournament: 2, mutations: 1 }
          space:
            lr: { uniform: [0.01, 1.0] }
        early_stopping: none
        budget: { trials: {{trials}}, parallelism: {{parallelism}}, max_epochs: {{epochs}} }
        seed: 1
        """;
}
