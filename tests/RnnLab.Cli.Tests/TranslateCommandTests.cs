using TorchSharp;

namespace RnnLab.Cli.Tests;

[Collection("cli")]
public sealed class TranslateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-translate-").FullName;

    public TranslateCommandTests() => torch.set_num_threads(1);

    [Fact]
    public void A_trained_translation_checkpoint_translates_and_other_checkpoints_are_refused()
    {
        var checkpoint = Path.Combine(_dir, "numbers.ckpt");
        var train = CliRun.Run("train", "--task", "translate", "-o", "max_number=99", "-o", "train_size=60", "-o", "eval_size=10",
            "--cell", "gru", "--bidirectional", "--hidden", "16", "--epochs", "1", "--batch", "8", "--json", "--checkpoint", checkpoint);
        Assert.True(train.ExitCode == 0, train.Error);

        var greedy = CliRun.Run("translate", "--checkpoint", checkpoint, "forty two");
        var beam = CliRun.Run("translate", "--checkpoint", checkpoint, "--beam", "3", "forty two");
        var again = CliRun.Run("translate", "--checkpoint", checkpoint, "--beam", "3", "forty two");

        Assert.True(greedy.ExitCode == 0, greedy.Error);
        Assert.Equal(0, beam.ExitCode);
        Assert.Equal(beam.Out, again.Out);
        // The target side of the generated task is digits only.
        Assert.All(greedy.Out.Trim() + beam.Out.Trim(), c => Assert.True(char.IsAsciiDigit(c), $"'{c}' in '{greedy.Out}' / '{beam.Out}'"));

        var text = Path.Combine(_dir, "verse.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("but soft, what light through yonder window breaks?\n", 20)));
        var lm = Path.Combine(_dir, "verse.ckpt");
        Assert.Equal(0, CliRun.Run("train", "--task", text, "--hidden", "8", "--epochs", "1", "--bptt", "20", "--batch", "4", "--json", "--checkpoint", lm).ExitCode);
        var refused = CliRun.Run("translate", "--checkpoint", lm, "hello");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("not a translation model", refused.Error);
        var sampleRefused = CliRun.Run("sample", "--checkpoint", checkpoint, "--prefix", "four");
        Assert.Equal(2, sampleRefused.ExitCode);
        Assert.Contains("translate", sampleRefused.Error);
    }

    [Fact]
    public void Bad_beam_and_missing_checkpoint_are_errors()
    {
        var beam = CliRun.Run("translate", "--checkpoint", Path.Combine(_dir, "x.ckpt"), "--beam", "0", "one");
        var missing = CliRun.Run("translate", "--checkpoint", Path.Combine(_dir, "none.ckpt"), "one");

        Assert.NotEqual(0, beam.ExitCode);
        Assert.Contains("--beam", beam.Out + beam.Error);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
