using RnnLab.CellGraphs;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Sweeps.Tests.Spec;

/// <summary><c>cell_graph: { file: PATH }</c>: read relative to the spec's folder, checked, and put into the spec inline.</summary>
public sealed class CellGraphFileTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("rnnlab-graph-files-");

    public void Dispose() => _root.Delete(recursive: true);

    private string Folder => Path.Combine(_root.FullName, "experiments");

    /// <summary>Writes a file under the spec folder and returns its full path.</summary>
    private string Write(string relative, string text)
    {
        var path = Path.Combine(Folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string SearchSpec(string choices) => $$"""
        name: graph-files
        task: adding
        metric: valid.mse
        search:
          sampler: { type: random, seed: 1 }
          space:
            cell_graph: { categorical: [{{choices}}] }
        budget: { trials: 4 }
        """;

    // One mutation of GRU, so that no built-in graph matches it.
    private static CellGraph Mutant(string name)
    {
        var mutant = CellGraphMutation.Mutate(BuiltinCellGraphs.Get("gru"), new Random(5).Next).Graph;
        return mutant with { Name = name };
    }

    [Fact]
    public void Graph_files_are_read_from_the_specs_folder_and_every_trial_carries_its_graph_inline()
    {
        var mine = Mutant("my-gru");
        Write("graphs/mine.yaml", "# a GRU with one change\n" + mine.ToYaml());
        // Without a name of its own a graph takes its file's.
        var mut3 = BuiltinCellGraphs.Get("mut3");
        Write("graphs/unnamed.yaml", string.Join('\n', mut3.ToYaml().Split('\n').Where(line => !line.StartsWith("name:"))));
        var specPath = Write("search.yaml", SearchSpec("{ file: graphs/mine.yaml }, { file: ./graphs/unnamed.yaml }"));

        // The working folder is not the spec's: paths are the spec's own.
        Assert.NotEqual(Folder, Environment.CurrentDirectory);
        var read = SpecFile.Read(specPath);
        Assert.Empty(read.Errors);
        Assert.DoesNotContain("file:", read.Text);
        Assert.Contains("name: graph-files", read.Text);

        // The files may go: the text alone makes the same trials (as a server stores it and re-runs them).
        Directory.Delete(Path.Combine(Folder, "graphs"), recursive: true);
        var spec = SweepSpec.ParseOrThrow(read.Text);
        var sampler = SamplerFactory.Create(spec);
        var stored = Enumerable.Range(0, 12).Select(_ => ParameterSet.FromJson(sampler.Ask()!.ToJson())).ToList();
        var graphs = stored.Select(p => CellGraph.Parse(p.GetString("cell_graph"))).ToList();
        Assert.Equal(new[] { mine.Hash(), mut3.Hash() }.ToHashSet(), graphs.Select(g => g.Hash()).ToHashSet());
        Assert.Equal(new[] { "my-gru", "unnamed" }.ToHashSet(), graphs.Select(g => g.Name).ToHashSet());
    }

    [Fact]
    public void A_graph_file_may_be_fixed_in_block_style_or_in_a_json_spec()
    {
        var mine = Mutant("fixed-one");
        Write("cells/fixed.yaml", mine.ToYaml());
        var yaml = Write("block.yaml", """
            name: fixed-graph
            task: adding
            metric: valid.mse
            fixed:
              cell_graph:
                file: cells/fixed.yaml
              hidden: 8
            search:
              space:
                lr: { loguniform: [1.0e-3, 1.0e-1] }
            budget: { trials: 2 }
            """);
        var json = Write("spec.json", """
            { "name": "fixed-graph", "task": "adding", "metric": "valid.mse",
              "fixed": { "cell_graph": { "file": "cells/fixed.yaml" }, "hidden": 8 },
              "search": { "space": { "lr": { "loguniform": [0.001, 0.1] } } },
              "budget": { "trials": 2 } }
            """);

        foreach (var path in new[] { yaml, json })
        {
            var read = SpecFile.Read(path);
            Assert.Empty(read.Errors);
            var spec = SweepSpec.ParseOrThrow(read.Text);
            var proposal = SamplerFactory.Create(spec).Ask()!;
            Assert.Equal(8L, proposal.GetLong("hidden"));
            Assert.Equal(mine.Hash(), CellGraph.Parse(proposal.GetString("cell_graph")).Hash());
            Assert.Equal("fixed-one", CellGraph.Parse(proposal.GetString("cell_graph")).Name);
        }
    }

    [Fact]
    public void A_missing_graph_file_is_refused_naming_its_path()
    {
        Write("graphs/mine.yaml", Mutant("mine").ToYaml());
        var read = SpecFile.Read(Write("search.yaml", SearchSpec("{ file: graphs/mine.yaml }, { file: graphs/missing.yaml }")));

        var error = Assert.Single(read.Errors);
        Assert.Equal("search.space.cell_graph.categorical[1].file", error.Path);
        Assert.Contains("'graphs/missing.yaml' does not exist", error.Reason);
        Assert.Contains(Path.Combine(Folder, "graphs", "missing.yaml"), error.Reason);
    }

    [Fact]
    public void An_invalid_graph_file_is_refused_with_the_path_inside_the_graph()
    {
        var broken = BuiltinCellGraphs.Get("rnn-tanh").ToYaml().Replace("in: [wx, uh]", "in: [wx, nothing]");
        Write("graphs/broken.yaml", broken);
        Write("graphs/not-yaml.yaml", "nodes: [unclosed");
        var read = SpecFile.Read(Write("search.yaml", SearchSpec("{ file: graphs/broken.yaml }, { file: graphs/not-yaml.yaml }")));

        Assert.Equal(2, read.Errors.Count);
        Assert.Equal("search.space.cell_graph.categorical[0].file", read.Errors[0].Path);
        Assert.Contains("'graphs/broken.yaml' is not a valid cell graph", read.Errors[0].Reason);
        Assert.Contains("nodes.s.in[1]: 'nothing' is not x", read.Errors[0].Reason);
        Assert.Equal("search.space.cell_graph.categorical[1].file", read.Errors[1].Path);
        Assert.Contains("not valid YAML/JSON", read.Errors[1].Reason);
    }

    [Fact]
    public void A_spec_given_as_text_must_give_its_graphs_inline()
    {
        // What a server receives: it never opens a path it was sent.
        Write("graphs/mine.yaml", Mutant("mine").ToYaml());
        var result = SweepSpec.Parse(SearchSpec("{ file: graphs/mine.yaml }"));

        Assert.Null(result.Spec);
        var error = Assert.Single(result.Errors);
        Assert.Equal("search.space.cell_graph.categorical[0].file", error.Path);
        Assert.Contains("inline", error.Reason);
    }
}
