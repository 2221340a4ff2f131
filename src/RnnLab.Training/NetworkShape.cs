using RnnLab.Models;
using RnnLab.Tasks;

namespace RnnLab.Training;

/// <summary>The task-given part of a network (input, head, output), stored in checkpoints so a model can be
/// rebuilt without its data.</summary>
public sealed record NetworkShape(int InputSize, bool TokenInput, HeadKind Head, int OutputSize)
{
    public static NetworkShape Of(ITask task) => new(task.InputSize, task.TokenInput, HeadOf(task.Head), task.OutputSize);

    public NetworkOptions Options(TrialConfig config) => new()
    {
        Cell = config.Cell,
        CellGraph = config.ParsedCellGraph(),
        InputSize = InputSize,
        TokenInput = TokenInput,
        HiddenSize = config.Hidden,
        Layers = config.Layers,
        Bidirectional = config.Bidirectional,
        Dropout = config.Dropout,
        Head = Head,
        OutputSize = OutputSize,
        Init = config.InitScheme,
        InitScale = config.InitScale,
        ForgetBias = config.ForgetBias,
    };

    public RecurrentNetwork Build(TrialConfig config) =>
        TorchRandom.Seeded(config.Seed, () => new RecurrentNetwork(Options(config)));

    private static HeadKind HeadOf(TaskHead head) => head switch
    {
        TaskHead.PerStepSigmoid => HeadKind.PerStepSigmoid,
        TaskHead.PerStepSoftmax => HeadKind.PerStepSoftmax,
        TaskHead.LastStep => HeadKind.LastStep,
        _ => throw new ArgumentOutOfRangeException(nameof(head), head, "unknown task head"),
    };
}
