using RnnLab.Contracts.V1;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;
using RnnLab.Tasks;
using RnnLab.Training;

namespace RnnLab.Server.Grpc;

/// <summary>Writes text with a trial's latest checkpoint (through <see cref="CheckpointInference"/>).</summary>
internal static class TextGeneration
{
    public const int MaxLength = 2000;
    public const int MaxPrefixLength = 2000;
    public const double MaxTemperature = 5;

    /// <summary>Whether a task (a built-in name or a file path) is a character language model: tinyshakespeare, or a
    /// file path other than a .json music file (the rule of TaskCatalog).</summary>
    public static bool IsTextTask(string task) =>
        task == "tinyshakespeare" ||
        (!TaskCatalog.BuiltInNames.Contains(task) && LooksLikePath(task) && TaskShapes.Of(task) == TaskShape.NextStep &&
         !Path.GetExtension(task).Equals(".json", StringComparison.OrdinalIgnoreCase));

    // Benchmark tasks such as 'quadratic' are bare names; a data file has a directory or an extension.
    private static bool LooksLikePath(string task) =>
        task.Contains('/') || task.Contains('\\') || Path.HasExtension(task);

    public static void Validate(GenerateTextRequest request)
    {
        var errors = new List<(string, string)>();
        if (request.Length is < 1 or > MaxLength)
        {
            errors.Add(("length", $"must be between 1 and {MaxLength}, not {request.Length}"));
        }

        if (!double.IsFinite(request.Temperature) || request.Temperature is < 0 or > MaxTemperature)
        {
            errors.Add(("temperature", $"must be between 0 and {MaxTemperature}, not {request.Temperature}"));
        }

        if (request.Prefix.Length > MaxPrefixLength)
        {
            errors.Add(("prefix", $"must be at most {MaxPrefixLength} characters, not {request.Prefix.Length}"));
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.InvalidArgument(errors);
        }
    }

    public static Task<GenerateTextResponse> GenerateAsync(ICheckpointStore checkpoints, TrialRecord trial, TaskSpec task, bool isText, GenerateTextRequest request, CancellationToken cancellationToken) =>
        isText
            ? CheckpointInference.RunAsync(
                checkpoints, trial, $"trial '{trial.Id}' has no checkpoint yet: text can be generated once it has saved one",
                (model, checkpoint) => Generate(model, checkpoint, request), cancellationToken)
            : throw ApiErrors.FailedPrecondition($"trial '{trial.Id}' is on task '{task.Name}', not a character language model: it cannot generate text");

    private static GenerateTextResponse Generate(TrainedModel model, CheckpointRecord checkpoint, GenerateTextRequest request)
    {
        if (model.Vocabulary is not { Count: > 0 } vocabulary)
        {
            throw ApiErrors.FailedPrecondition($"the checkpoint is for task '{model.Config.Task}', not a character language model: it cannot generate text");
        }

        var prefix = request.Prefix.Length > 0 ? request.Prefix : vocabulary.Contains("\n") ? "\n" : vocabulary[0];
        var sampler = TextSampler.From(model);
        try
        {
            var text = sampler.Sample(prefix, request.Length, request.Temperature, request.Seed);
            return new GenerateTextResponse { Text = text, CheckpointEpoch = checkpoint.Epoch };
        }
        catch (ArgumentException exception) when (exception is not ArgumentOutOfRangeException)
        {
            // The only caller-caused ArgumentException left is a prefix symbol the model never saw.
            throw ApiErrors.InvalidArgument("prefix", exception.Message);
        }
    }
}
