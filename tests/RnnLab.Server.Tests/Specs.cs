namespace RnnLab.Server.Tests;

/// <summary>Sweep specs on the `quadratic` task: the whole platform runs, but no network trains.</summary>
internal static class Specs
{
    public static string Quadratic(string name, int trials = 9, int epochs = 3, int delayMs = 0, int parallelism = 4) => $$"""
        name: {{name}}
        task: { name: quadratic, options: { epochs: {{epochs}}, delay_ms: {{delayMs}} } }
        metric: { name: objective, direction: minimize }
        search:
          sampler: { type: stratified, by: cell, seed: 3 }
          space:
            cell: { categorical: [rnn-tanh, lstm, gru] }
            lr: { loguniform: [0.01, 1.0] }
            hidden: { int: [20, 200] }
        budget: { trials: {{trials}}, parallelism: {{parallelism}} }
        seed: 3
        """;
}
