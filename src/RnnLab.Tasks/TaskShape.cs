namespace RnnLab.Tasks;

/// <summary>
/// What a task's targets are relative to its inputs, which decides whether a bidirectional layer is sound: a
/// backward direction that reads step t+1 sees the target of step t on a next-step task.
/// (RnnLab.Sweeps keeps the same vocabulary by task name for spec validation; a test proves the two agree.)
/// </summary>
public enum TaskShape
{
    /// <summary>The target at step t is the input at step t+1 (music, character language models): unidirectional only.</summary>
    NextStep,

    /// <summary>The answer comes after the whole input sequence (adding, copy): bidirectional layers are sound.</summary>
    SequenceToAnswer,

    /// <summary>An output sequence is written after the whole input is read (translation): the encoder may be bidirectional.</summary>
    SequenceToSequence,

    /// <summary>Symbols hidden in the input are predicted from the whole sequence (cloze): bidirectional layers are the right tool.</summary>
    Masked,
}

/// <summary>The rule that ties a task's shape to bidirectional layers.</summary>
public static class TaskShapes
{
    /// <summary>The shape of a task by the name or path <see cref="TaskCatalog"/> creates it from, without loading its data.</summary>
    public static TaskShape Of(string nameOrPath) => nameOrPath switch
    {
        "adding" or "copy" => TaskShape.SequenceToAnswer,
        "translate" => TaskShape.SequenceToSequence,
        "cloze" => TaskShape.Masked,
        _ when nameOrPath.StartsWith("cloze:", StringComparison.Ordinal) => TaskShape.Masked,
        _ when nameOrPath.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) => TaskShape.SequenceToSequence,
        // jsb-chorales, tinyshakespeare and every file (a .json piano roll or a text) predict the next step.
        _ => TaskShape.NextStep,
    };

    public static bool AllowsBidirectional(TaskShape shape) => shape != TaskShape.NextStep;

    /// <summary>Why a bidirectional network is refused on <paramref name="task"/>.</summary>
    public static string BidirectionalLeak(string task) =>
        $"task '{task}' predicts the next step: the backward direction of a bidirectional layer reads step t+1, " +
        "which is the target at step t, so its metric would measure a leak; use a unidirectional network";
}
