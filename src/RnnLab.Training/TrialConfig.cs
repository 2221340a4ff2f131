using RnnLab.CellGraphs;
using System.Collections.Immutable;
using RnnLab.Models;
using RnnLab.Tasks;

namespace RnnLab.Training;

/// <summary>Everything one trial needs, flat and immutable. Parameter names (snake_case) are shared with the sweep
/// spec; see <see cref="FromParameters"/> and <see cref="ToParameters"/>.</summary>
public sealed partial record TrialConfig
{
    /// <summary>Built-in task name (jsb-chorales, tinyshakespeare, adding, copy) or a file path.</summary>
    public string Task { get; init; } = "jsb-chorales";

    /// <summary>Task options such as <c>length=50</c>.</summary>
    public ImmutableSortedDictionary<string, string> TaskOptions { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public string Cell { get; init; } = CellNames.Lstm;

    /// <summary>The cell as a graph (YAML or JSON text), kept with the trial so it can be rebuilt; <see cref="Cell"/> is then the graph's name.</summary>
    public string? CellGraph { get; init; }

    /// <summary>The parsed <see cref="CellGraph"/>, or null for a built-in cell.</summary>
    public CellGraphs.CellGraph? ParsedCellGraph() => CellGraph is null ? null : CellGraphs.CellGraph.Parse(CellGraph);

    public int Layers { get; init; } = 1;

    public bool Bidirectional { get; init; }

    public int Hidden { get; init; } = 64;

    /// <summary><c>sgd</c> (with Nesterov momentum) or <c>adam</c>.</summary>
    public string Optimizer { get; init; } = "adam";

    public double Lr { get; init; } = 0.01;

    /// <summary>Nesterov momentum for SGD (ignored by Adam).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Std of Gaussian noise added to float inputs while training.</summary>
    public double InputNoise { get; init; }

    /// <summary>Maximum global gradient norm; 0 turns clipping off.</summary>
    public double Clip { get; init; }

    public double ForgetBias { get; init; }

    public double Dropout { get; init; }

    /// <summary>Sequences (or text streams) per batch.</summary>
    public int Batch { get; init; } = 16;

    public int Epochs { get; init; } = 10;

    /// <summary>Truncated BPTT length in steps; 0 = whole sequences (or the task's chunk length for streamed text).</summary>
    public int Bptt { get; init; }

    /// <summary>uniform, normal, xavier or orthogonal.</summary>
    public string Init { get; init; } = "uniform";

    public double InitScale { get; init; } = 0.1;

    /// <summary>Epochs without a better validation metric before stopping; 0 = never stop early.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Factor applied to the learning rate on a plateau; 1 = no decay.</summary>
    public double LrDecay { get; init; } = 0.5;

    /// <summary>Epochs without improvement before the learning rate decays; 0 = never.</summary>
    public int LrPatience { get; init; } = 2;

    public long Seed { get; init; } = 1;

    /// <summary>Torch intra-op threads for this trial.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>An optional cheap first stage (see <see cref="ScreenStage"/>): the same network is first trained on this
    /// synthetic task, and the trial goes on to its own task only if it reaches <see cref="ScreenThreshold"/> there.</summary>
    public string? ScreenTask { get; init; }

    /// <summary>Sequence length of the screening task.</summary>
    public int ScreenLength { get; init; } = ScreenStage.DefaultLength;

    /// <summary>Training sequences of the screening task (a quarter as many are drawn for validation).</summary>
    public int ScreenSize { get; init; } = ScreenStage.DefaultSize;

    public int ScreenEpochs { get; init; } = ScreenStage.DefaultEpochs;

    /// <summary>The value of the screening task's main validation metric a candidate must reach (at most, for a
    /// metric where lower is better).</summary>
    public double? ScreenThreshold { get; init; }

    public static IReadOnlyList<string> Optimizers { get; } = ["sgd", "adam"];

    public static IReadOnlyList<string> InitSchemes { get; } = ["uniform", "normal", "xavier", "orthogonal"];

    public InitScheme InitScheme => Init switch
    {
        "uniform" => InitScheme.Uniform,
        "normal" => InitScheme.Normal,
        "xavier" => InitScheme.Xavier,
        "orthogonal" => InitScheme.Orthogonal,
        _ => throw new ArgumentException($"parameter 'init': unknown scheme '{Init}'; valid: {string.Join(", ", InitSchemes)}"),
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid parameter.</summary>
    public TrialConfig Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Task), "task", "must name a task or a file");
        if (CellGraph is not null)
        {
            CellGraphs.CellGraph graph;
            try
            {
                graph = CellGraphs.CellGraph.Parse(CellGraph);
            }
            catch (CellGraphs.CellGraphException e)
            {
                throw new ArgumentException($"parameter 'cell_graph': {string.Join("; ", e.Errors)}");
            }

            Require(Cell == graph.Name, "cell", $"must be the graph's name '{graph.Name}' when cell_graph is given, got '{Cell}'");
        }
        else
        {
            try
            {
                CellNames.Validate(Cell);
            }
            catch (ArgumentException)
            {
                throw new ArgumentException($"parameter 'cell': unknown cell '{Cell}'; valid: {string.Join(", ", CellNames.All)} (or give a cell_graph)");
            }
        }

        Require(Optimizers.Contains(Optimizer), "optimizer", $"must be one of {string.Join(", ", Optimizers)}, got '{Optimizer}'");
        Require(InitSchemes.Contains(Init), "init", $"must be one of {string.Join(", ", InitSchemes)}, got '{Init}'");
        Require(Layers >= 1, "layers", $"must be ≥ 1, got {Layers}");
        Require(Hidden >= 1, "hidden", $"must be ≥ 1, got {Hidden}");
        Require(Lr > 0 && double.IsFinite(Lr), "lr", $"must be positive, got {Lr}");
        Require(Momentum is >= 0 and < 1, "momentum", $"must be in [0, 1), got {Momentum}");
        Require(InputNoise >= 0 && double.IsFinite(InputNoise), "input_noise", $"must be ≥ 0, got {InputNoise}");
        Require(Clip >= 0 && double.IsFinite(Clip), "clip", $"must be ≥ 0 (0 = off), got {Clip}");
        Require(double.IsFinite(ForgetBias), "forget_bias", $"must be finite, got {ForgetBias}");
        Require(Dropout is >= 0 and < 1, "dropout", $"must be in [0, 1), got {Dropout}");
        Require(Batch >= 1, "batch", $"must be ≥ 1, got {Batch}");
        Require(Epochs >= 1, "epochs", $"must be ≥ 1, got {Epochs}");
        Require(Bptt >= 0, "bptt", $"must be ≥ 0 (0 = whole sequences), got {Bptt}");
        Require(InitScale > 0 && double.IsFinite(InitScale), "init_scale", $"must be positive, got {InitScale}");
        Require(Patience >= 0, "patience", $"must be ≥ 0 (0 = off), got {Patience}");
        Require(LrDecay is > 0 and <= 1, "lr_decay", $"must be in (0, 1], got {LrDecay}");
        Require(LrPatience >= 0, "lr_patience", $"must be ≥ 0 (0 = off), got {LrPatience}");
        Require(Threads >= 1, "threads", $"must be ≥ 1, got {Threads}");
        Require(!Bidirectional || TaskShapes.AllowsBidirectional(TaskShapes.Of(Task)), "bidirectional", "is refused: " + TaskShapes.BidirectionalLeak(Task));
        ScreenStage.Validate(this);
        return this;
    }

    internal static void Require(bool ok, string parameter, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"parameter '{parameter}' {rule}");
        }
    }

    public bool Equals(TrialConfig? other) =>
        other is not null && ToParameters().OrderBy(p => p.Key, StringComparer.Ordinal)
            .SequenceEqual(other.ToParameters().OrderBy(p => p.Key, StringComparer.Ordinal));

    public override int GetHashCode() => HashCode.Combine(Task, Cell, Hidden, Lr, Seed);
}
