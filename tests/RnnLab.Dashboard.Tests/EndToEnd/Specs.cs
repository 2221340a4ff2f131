namespace RnnLab.Dashboard.Tests.EndToEnd;

/// <summary>Small sweeps of the analytic `quadratic` task: the whole platform runs, no network trains.</summary>
internal static class Specs
{
    public static string Quadratic(string name, int trials, int epochs, int delayMs, int parallelism) => $$"""
        name: {{name}}
        task: { name: quadratic, options: { epochs: {{epochs}}, delay_ms: {{delayMs}} } }
        metric: { name: objective, direction: minimize }
        search:
          sampler: { type: stratified, by: cell, seed: 5 }
          space:
            cell: { categorical: [rnn-tanh, lstm, gru] }
            lr: { loguniform: [0.001, 1.0] }
            hidden: { int: [20, 200] }
        budget: { trials: {{trials}}, parallelism: {{parallelism}} }
        seed: 5
        """;
}
