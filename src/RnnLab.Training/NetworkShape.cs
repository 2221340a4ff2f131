using RnnLab.Models;
using RnnLab.Models.Seq2Seq;
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

    /// <summary>The network this shape asks for: an encoder–decoder for the sequence head, else a <see cref="RecurrentNetwork"/>.</summary>
    public TorchSharp.torch.nn.Module BuildModule(TrialConfig config) => Head == HeadKind.Sequence
        ? TorchRandom.Seeded(config.Seed, () => new Seq2SeqNetwork(Options(config)))
        : Build(config);

    private static HeadKind HeadOf(TaskHead head) => head switch
    {
        TaskHead.PerStepSigmoid => HeadKind.PerStepSigmoid,
        TaskHead.PerStepSoftmax => HeadKind.PerStepSoftmax,
        TaskHead.LastStep => HeadKind.LastStep,
        TaskHead.Sequence => HeadKind.Sequence,
        _ => throw new ArgumentOutOfRangeException(nameof(head), head, "unknown task head"),
    };
}
