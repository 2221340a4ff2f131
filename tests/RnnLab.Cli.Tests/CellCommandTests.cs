using RnnLab.CellGraphs;

namespace RnnLab.Cli.Tests;

[Collection("cli")]
public sealed class CellCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-cell-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ShowPrintsABuiltInCellsEquationsWithItsHash()
    {
        var (code, output, error) = CliRun.Run("cell", "show", "lstm-cifg");

        Assert.True(code == 0, error);
        Assert.Contains($"hash {BuiltinCellGraphs.Get("lstm-cifg").Hash()}", output);
        // The coupled input and forget gate: what the cell keeps is one minus what it writes.
        Assert.Contains("c ⊙ (1 − i)", output);
        Assert.Contains("h' =", output);
    }

    [Fact]
    public void ListNamesEveryBuiltInCellWithItsHash()
    {
        var (code, output, _) = CliRun.Run("cell", "list");

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(BuiltinCellGraphs.Names.Count, lines.Length);
        foreach (var name in BuiltinCellGraphs.Names)
        {
            Assert.Contains(lines, l => l.StartsWith(name + " ", StringComparison.Ordinal) && l.Contains(BuiltinCellGraphs.Get(name).Hash(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void AGraphFileWrittenFromTheYamlFormIsTheSameArchitecture()
    {
        var yaml = CliRun.Run("cell", "show", "gru", "--yaml");
        var file = Path.Combine(_dir, "gru-copy.yaml");
        File.WriteAllText(file, yaml.Out);

        var fromFile = CliRun.Run("cell", "show", file, "--canonical");
        var builtIn = CliRun.Run("cell", "show", "gru", "--canonical");

        Assert.Equal(0, fromFile.ExitCode);
        Assert.Equal(builtIn.Out, fromFile.Out);
    }

    [Fact]
    public void ABrokenGraphFileIsRefusedWithItsPathAndTheNodeAtFault()
    {
        var file = Path.Combine(_dir, "broken.yaml");
        File.WriteAllText(file, """
            name: broken
            state: [h]
            nodes:
              a: { op: linear, in: [x] }
              b: { op: tanh, in: [nowhere] }
            outputs: { h: b }
            """);

        var (code, _, error) = CliRun.Run("cell", "show", file);

        Assert.Equal(2, code);
        Assert.Contains(file, error);
        Assert.Contains("nowhere", error);
    }

    [Fact]
    public void AnUnknownCellNameIsRefusedWithTheBuiltInNames()
    {
        var (code, _, error) = CliRun.Run("cell", "show", "lstm-typo");

        Assert.Equal(2, code);
        Assert.Contains("'lstm-typo' is neither a built-in cell", error);
        Assert.Contains("lstm-cifg", error);
    }
}
