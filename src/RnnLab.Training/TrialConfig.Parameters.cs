using System.Collections.Immutable;
using System.Globalization;

namespace RnnLab.Training;

/// <summary>The mapping between <see cref="TrialConfig"/> and flat name → value parameters.</summary>
public sealed partial record TrialConfig
{
    /// <summary>Prefix of flattened task options: <c>task.length</c> = task option <c>length</c>.</summary>
    public const string TaskOptionPrefix = "task.";

    public static IReadOnlyList<string> ParameterNames { get; } =
    [
        "task", "task_options", "cell", "cell_graph", "layers", "bidirectional", "hidden", "optimizer", "lr", "momentum", "input_noise",
        "clip", "forget_bias", "dropout", "batch", "epochs", "bptt", "init", "init_scale", "patience", "lr_decay",
        "lr_patience", "seed", "threads", "screen_task", "screen_length", "screen_size", "screen_epochs", "screen_threshold",
    ];

    /// <summary>Builds a config from defaults plus the given parameters (values double, long, int, string or bool;
    /// task options as <c>task_options</c> — a string map or "a=1,b=2" — or as <c>task.NAME</c> entries), then validates it.</summary>
    public static TrialConfig FromParameters(IReadOnlyDictionary<string, object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var config = new TrialConfig();
        var taskOptions = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            if (name.StartsWith(TaskOptionPrefix, StringComparison.Ordinal))
            {
                taskOptions[name[TaskOptionPrefix.Length..]] = Text(name, value);
                continue;
            }

            config = name switch
            {
                "task" => config with { Task = Text(name, value) },
                "task_options" => AddTaskOptions(config, taskOptions, value),
                "cell" => config with { Cell = Text(name, value) },
                "cell_graph" => config with { CellGraph = Text(name, value) },
                "layers" => config with { Layers = Int(name, value) },
                "bidirectional" => config with { Bidirectional = Bool(name, value) },
                "hidden" => config with { Hidden = Int(name, value) },
                "optimizer" => config with { Optimizer = Text(name, value) },
                "lr" => config with { Lr = Real(name, value) },
                "momentum" => config with { Momentum = Real(name, value) },
                "input_noise" => config with { InputNoise = Real(name, value) },
                "clip" => config with { Clip = Real(name, value) },
                "forget_bias" => config with { ForgetBias = Real(name, value) },
                "dropout" => config with { Dropout = Real(name, value) },
                "batch" => config with { Batch = Int(name, value) },
                "epochs" => config with { Epochs = Int(name, value) },
                "bptt" => config with { Bptt = Int(name, value) },
                "init" => config with { Init = Text(name, value) },
                "init_scale" => config with { InitScale = Real(name, value) },
                "patience" => config with { Patience = Int(name, value) },
                "lr_decay" => config with { LrDecay = Real(name, value) },
                "lr_patience" => config with { LrPatience = Int(name, value) },
                "seed" => config with { Seed = Long(name, value) },
                "threads" => config with { Threads = Int(name, value) },
                "screen_task" => config with { ScreenTask = Text(name, value) },
                "screen_length" => config with { ScreenLength = Int(name, value) },
                "screen_size" => config with { ScreenSize = Int(name, value) },
                "screen_epochs" => config with { ScreenEpochs = Int(name, value) },
                "screen_threshold" => config with { ScreenThreshold = Real(name, value) },
                _ => throw new ArgumentException($"unknown parameter '{name}'; valid: {string.Join(", ", ParameterNames)} and task.<option>"),
            };
        }

        if (config.CellGraph is not null && !parameters.ContainsKey("cell"))
        {
            // The graph names its cell; a name that does not parse is reported by Validate.
            try
            {
                config = config with { Cell = CellGraphs.CellGraph.Parse(config.CellGraph).Name };
            }
            catch (CellGraphs.CellGraphException)
            {
            }
        }

        return (config with { TaskOptions = taskOptions.ToImmutable() }).Validate();
    }

    /// <summary>All parameters, task options flattened as <c>task.NAME</c> string entries.</summary>
    public IReadOnlyDictionary<string, object?> ToParameters()
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["task"] = Task,
            ["cell"] = Cell,
            ["layers"] = (long)Layers,
            ["bidirectional"] = Bidirectional,
            ["hidden"] = (long)Hidden,
            ["optimizer"] = Optimizer,
            ["lr"] = Lr,
            ["momentum"] = Momentum,
            ["input_noise"] = InputNoise,
            ["clip"] = Clip,
            ["forget_bias"] = ForgetBias,
            ["dropout"] = Dropout,
            ["batch"] = (long)Batch,
            ["epochs"] = (long)Epochs,
            ["bptt"] = (long)Bptt,
            ["init"] = Init,
            ["init_scale"] = InitScale,
            ["patience"] = (long)Patience,
            ["lr_decay"] = LrDecay,
            ["lr_patience"] = (long)LrPatience,
            ["seed"] = Seed,
            ["threads"] = (long)Threads,
        };
        if (CellGraph is not null)
        {
            parameters["cell_graph"] = CellGraph;
        }

        // Only a screened trial names the screening parameters, so the parameters of every other trial stay as they were.
        if (ScreenTask is not null)
        {
            parameters["screen_task"] = ScreenTask;
            parameters["screen_length"] = (long)ScreenLength;
            parameters["screen_size"] = (long)ScreenSize;
            parameters["screen_epochs"] = (long)ScreenEpochs;
            parameters["screen_threshold"] = ScreenThreshold;
        }

        foreach (var (key, value) in TaskOptions)
        {
            parameters[TaskOptionPrefix + key] = value;
        }

        return parameters;
    }

    private static TrialConfig AddTaskOptions(TrialConfig config, ImmutableSortedDictionary<string, string>.Builder options, object? value)
    {
        switch (value)
        {
            case null:
                break;
            case IReadOnlyDictionary<string, string> map:
                foreach (var (k, v) in map)
                {
                    options[k] = v;
                }

                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                foreach (var (k, v) in map)
                {
                    options[k] = Text($"task_options.{k}", v);
                }

                break;
            case string text:
                foreach (var pair in text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var eq = pair.IndexOf('=');
                    if (eq <= 0)
                    {
                        throw new ArgumentException($"parameter 'task_options': expected name=value pairs separated by commas, got '{pair}'");
                    }

                    options[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
                }

                break;
            default:
                throw new ArgumentException($"parameter 'task_options' must be a map of strings or \"name=value,…\", got {value.GetType().Name}");
        }

        return config;
    }

    private static string Text(string name, object? value) => value switch
    {
        string s => s,
        long or int or bool => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"parameter '{name}' must be a string, got {Describe(value)}"),
    };

    private static double Real(string name, object? value) => value switch
    {
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new ArgumentException($"parameter '{name}' must be a number, got {Describe(value)}"),
    };

    private static long Long(string name, object? value) => value switch
    {
        long l => l,
        int i => i,
        double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        _ => throw new ArgumentException($"parameter '{name}' must be an integer, got {Describe(value)}"),
    };

    private static int Int(string name, object? value)
    {
        var l = Long(name, value);
        return l is >= int.MinValue and <= int.MaxValue ? (int)l : throw new ArgumentException($"parameter '{name}' is out of range: {l}");
    }

    private static bool Bool(string name, object? value) => value switch
    {
        bool b => b,
        string s when bool.TryParse(s, out var b) => b,
        long l when l is 0 or 1 => l == 1,
        _ => throw new ArgumentException($"parameter '{name}' must be true or false, got {Describe(value)}"),
    };

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string s => $"\"{s}\"",
        _ => $"{value.GetType().Name} {Convert.ToString(value, CultureInfo.InvariantCulture)}",
    };
}
