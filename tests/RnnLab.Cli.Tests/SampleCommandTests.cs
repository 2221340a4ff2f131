using TorchSharp;

namespace RnnLab.Cli.Tests;

[Collection("cli")]
public sealed class SampleCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-sample-").FullName;

    public SampleCommandTests() => torch.set_num_threads(1);

    [Fact]
    public void SamplingIsDeterministicPerSeedAndStartsWithThePrefix()
    {
        var text = Path.Combine(_dir, "verse.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("ROMEO: but soft, what light through yonder window breaks?\n", 40)));
        var checkpoint = Path.Combine(_dir, "verse.ckpt");
        Assert.Equal(0, CliRun.Run("train", "--task", text, "--hidden", "16", "--epochs", "1", "--bptt", "20", "--batch", "4", "--json", "--checkpoint", checkpoint).ExitCode);

        var first = CliRun.Run("sample", "--checkpoint", checkpoint, "--prefix", "ROMEO:", "--length", "80", "--temperature", "1.0", "--seed", "7");
        var again = CliRun.Run("sample", "--checkpoint", checkpoint, "--prefix", "ROMEO:", "--length", "80", "--temperature", "1.0", "--seed", "7");
        var other = CliRun.Run("sample", "--checkpoint", checkpoint, "--prefix", "ROMEO:", "--length", "80", "--temperature", "1.0", "--seed", "8");

        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("ROMEO:", first.Out);
        Assert.True(first.Out.TrimEnd().Length >= 80);
        Assert.Equal(first.Out, again.Out);
        Assert.NotEqual(first.Out, other.Out);
    }

    [Fact]
    public void MissingCheckpointIsAnError()
    {
        var (code, _, error) = CliRun.Run("sample", "--checkpoint", Path.Combine(_dir, "none.ckpt"));

        Assert.Equal(2, code);
        Assert.Contains("does not exist", error);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
