namespace RnnLab.Sweeps.Parameters;

/// <summary>
/// What a task's targets are relative to its inputs (the same vocabulary as RnnLab.Tasks, kept apart on purpose:
/// Sweeps is pure; a test proves the two agree for every built-in task).
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

/// <summary>The shape of a task by name, so a spec that would leak the targets is refused before anything runs.</summary>
public static class TaskShapes
{
    /// <summary>The shape of a built-in task or of a task file (a .json piano roll or a text: both next-step).</summary>
    public static TaskShape Of(string nameOrPath) => nameOrPath switch
    {
        "adding" or "copy" => TaskShape.SequenceToAnswer,
        "translate" => TaskShape.SequenceToSequence,
        "cloze" => TaskShape.Masked,
        _ when nameOrPath.StartsWith("cloze:", StringComparison.Ordinal) => TaskShape.Masked,
        _ when nameOrPath.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) => TaskShape.SequenceToSequence,
        _ => TaskShape.NextStep,
    };

    public static bool AllowsBidirectional(TaskShape shape) => shape != TaskShape.NextStep;

    /// <summary>Why a bidirectional network is refused on <paramref name="task"/>.</summary>
    public static string BidirectionalLeak(string task) =>
        $"task '{task}' predicts the next step: the backward direction of a bidirectional layer reads step t+1, " +
        "which is the target at step t, so its metric would measure a leak; use a unidirectional network";
}
