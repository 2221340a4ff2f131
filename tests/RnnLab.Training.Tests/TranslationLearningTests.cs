using RnnLab.Tasks.Translation;
using TorchSharp;

namespace RnnLab.Training.Tests;

/// <summary>An encoder–decoder with attention learns the generated translation task (number words → digits) to a
/// high exact match in a short run, and a checkpoint translates alone, greedy and with beam search.</summary>
public sealed class TranslationLearningTests
{
    internal static readonly TrialConfig Budget = TrialConfig.FromParameters(new Dictionary<string, object?>
    {
        ["task"] = "translate",
        ["task_options"] = "kind=numbers,max_number=999,train_size=800,eval_size=100,data_seed=1",
        ["cell"] = "gru",
        ["bidirectional"] = true,
        ["hidden"] = 48L,
        ["batch"] = 16L,
        ["epochs"] = 8L,
        ["lr"] = 0.01,
        ["clip"] = 5.0,
        ["patience"] = 0L,
        ["seed"] = 3L,
        ["threads"] = 1L,
    });

    public TranslationLearningTests() => torch.set_num_threads(1);

    [Fact]
    public void A_small_attention_model_writes_most_numbers_exactly_and_its_checkpoint_translates()
    {
        TrialCheckpoint? last = null;
        var result = new TrialRunner().Run(Budget, new TrialRunOptions { CheckpointSink = c => last = c });

        Assert.Equal(RunOutcome.Completed, result.State);
        Assert.True(result.Metrics["test.exact_match"] >= 0.8, $"test exact match {result.Metrics["test.exact_match"]:F3} bleu {result.Metrics["test.bleu"]:F1} nll {result.Metrics["test.nll"]:F3}");
        // Outputs of one to three digits have no 4-grams, so their corpus BLEU-4 is 0 by definition (see BleuTests).
        Assert.Equal(0, result.Metrics["test.bleu"]);

        using var model = TrainedModel.Load(new MemoryStream(last!.Bytes.ToArray()));
        var translator = Translator.From(model);
        var numbers = new[] { 7, 42, 315, 860, 999 };
        var greedy = numbers.Count(n => translator.Translate(GeneratedPairs.Words(n)) == n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var beam = numbers.Count(n => translator.Translate(GeneratedPairs.Words(n), beamWidth: 4) == n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(greedy >= 4, $"greedy translated {greedy} of 5");
        Assert.True(beam >= 4, $"beam search translated {beam} of 5");
    }
}
