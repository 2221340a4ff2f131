using RnnLab.Sweeps.Spec;

namespace RnnLab.Sweeps.Tests.Spec;

public class SpecTextTests
{
    [Fact]
    public void Duplicate_keys_are_errors_in_json()
    {
        var json = SweepSpecParsingTests.QuickstartJson.Replace("\"retries\": 2,", "\"retries\": 2, \"retries\": 3,");

        Assert.Contains(SweepSpec.Parse(json).Errors, error => error.ToString() == "retries: key appears twice");
    }

    [Fact]
    public void Duplicate_keys_are_errors_in_yaml()
    {
        var errors = SweepSpec.Parse(SweepSpecParsingTests.Quickstart.Replace("retries: 2", "retries: 2\nretries: 3")).Errors;

        Assert.Contains(errors, error => error.Reason.Contains("not valid YAML") && error.Reason.Contains("line"));
    }

    // Each of these made YamlDotNet throw something other than a YamlException (found by mutating experiments/*.yaml).
    [Theory]
    [InlineData("search:\n  space:\n    lr: { loguniform: !!binary x\nbudget: { trials: 2 }\nseed: 7\n", 3)]
    [InlineData("a: { b: [x]   c: { d: [1] }\ne: 1\n", 1)]
    [InlineData("a: [x, !!gru]\n", 1)]
    [InlineData("task:\n  : adding\n  options: { a: 1 }\n", 3)]
    public void Malformed_yaml_that_yamldotnet_throws_on_is_an_error_with_a_position(string text, int line)
    {
        var error = Assert.Single(SweepSpec.Parse(text).Errors);

        Assert.StartsWith($"not valid YAML after line {line}, column ", error.Reason);
    }

    [Fact]
    public void Alias_expansion_cannot_exhaust_memory()
    {
        // Each level doubles the nodes reachable through aliases: 2^30 nodes if expanded.
        var lines = new List<string> { "a0: &a0 [x, x]" };
        for (var i = 1; i <= 30; i++)
        {
            lines.Add($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]");
        }

        var result = SweepSpec.Parse(string.Join("\n", lines));

        Assert.Equal("(spec): spec has more than 100000 nodes", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Quoted_yaml_scalars_stay_text()
    {
        var errors = SweepSpec.Parse(SweepSpecParsingTests.Quickstart.Replace("layers: 1", "layers: '1'")).Errors;

        Assert.Contains(errors, error => error.ToString() == "fixed.layers: layers must be an integer, not '1'");
    }

    [Fact]
    public void Empty_and_non_mapping_documents_are_rejected()
    {
        Assert.Equal("(spec): spec is empty", Assert.Single(SweepSpec.Parse("").Errors).ToString());
        Assert.Equal("(spec): must be a mapping, not a list", Assert.Single(SweepSpec.Parse("- a\n- b").Errors).ToString());
    }

    [Fact]
    public void Missing_sections_are_each_reported()
    {
        var errors = SweepSpec.Parse("name: bare").Errors.Select(error => error.ToString()).ToList();

        Assert.Contains("task: is required", errors);
        Assert.Contains("metric: is required", errors);
        Assert.Contains("search: is required", errors);
        Assert.Contains("budget: is required", errors);
    }
}
