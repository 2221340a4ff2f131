namespace RnnLab.Tasks;

/// <summary>What a task asks of the network's output head.</summary>
public enum TaskHead
{
    /// <summary>Independent binary outputs at every step (logits for a sigmoid).</summary>
    PerStepSigmoid,

    /// <summary>One category per step (logits for a softmax).</summary>
    PerStepSoftmax,

    /// <summary>One output vector per sequence, read after its last real step.</summary>
    LastStep,

    /// <summary>An output sequence written by a decoder that attends to the encoded input (one category per output step).</summary>
    Sequence,
}
