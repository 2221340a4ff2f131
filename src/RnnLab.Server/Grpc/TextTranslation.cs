using RnnLab.Contracts.V1;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;
using RnnLab.Tasks;
using RnnLab.Training;

namespace RnnLab.Server.Grpc;

/// <summary>Translates with a trial's latest checkpoint (through <see cref="CheckpointInference"/>, with the limits and
/// errors of <see cref="TextGeneration"/>).</summary>
internal static class TextTranslation
{
    public const int MaxTextLength = 2000;
    public const int MaxBeamWidth = 16;

    /// <summary>Whether a task (a built-in name or a file path) is a translation task: <c>translate</c> or a .tsv file.</summary>
    public static bool IsTranslationTask(string task) => TaskShapes.Of(task) == TaskShape.SequenceToSequence;

    public static void Validate(TranslateRequest request)
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > MaxTextLength)
        {
            errors.Add(("text", $"must have 1 to {MaxTextLength} characters, not {request.Text.Length}"));
        }

        if (request.BeamWidth is < 0 or > MaxBeamWidth)
        {
            errors.Add(("beam_width", $"must be between 1 and {MaxBeamWidth} (0 means 1), not {request.BeamWidth}"));
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.InvalidArgument(errors);
        }
    }

    public static Task<TranslateResponse> TranslateAsync(ICheckpointStore checkpoints, TrialRecord trial, TaskSpec task, TranslateRequest request, CancellationToken cancellationToken) =>
        IsTranslationTask(task.Name)
            ? CheckpointInference.RunAsync(
                checkpoints, trial, $"trial '{trial.Id}' has no checkpoint yet: it can translate once it has saved one",
                (model, checkpoint) => Translate(model, checkpoint, request), cancellationToken)
            : throw ApiErrors.FailedPrecondition($"trial '{trial.Id}' is on task '{task.Name}', not a translation task: it cannot translate");

    private static TranslateResponse Translate(TrainedModel model, CheckpointRecord checkpoint, TranslateRequest request)
    {
        Translator translator;
        try
        {
            translator = Translator.From(model);
        }
        catch (ArgumentException exception)
        {
            throw ApiErrors.FailedPrecondition(exception.Message);
        }

        try
        {
            var translation = translator.Translate(request.Text, Math.Max(1, request.BeamWidth));
            return new TranslateResponse { Translation = translation, CheckpointEpoch = checkpoint.Epoch };
        }
        catch (ArgumentException exception) when (exception is not ArgumentOutOfRangeException)
        {
            // The caller-caused ArgumentException left is a text longer than the model reads.
            throw ApiErrors.InvalidArgument("text", exception.Message);
        }
    }
}
