using RnnLab.Sweeps.Spec;

namespace RnnLab.Sweeps.Tests.Spec;

/// <summary>Specs built to hurt the server are validation errors; deep documents are tested in a child process by the
/// CLI's tests, since a regression there overflows the stack.</summary>
public class SpecLimitTests
{
    [Fact]
    public void Yaml_nested_one_level_past_the_limit_is_an_error_with_a_position()
    {
        var text = "task: " + new string('[', SpecLimits.MaxDepth) + new string(']', SpecLimits.MaxDepth);

        var error = Assert.Single(SweepSpec.Parse(text).Errors);

        Assert.Equal($"not valid YAML: nests deeper than {SpecLimits.MaxDepth} levels at line 1, column {7 + SpecLimits.MaxDepth - 1}", error.Reason);
    }

    [Fact]
    public void Yaml_at_the_depth_limit_is_read()
    {
        var text = "task: " + new string('[', SpecLimits.MaxDepth - 1) + new string(']', SpecLimits.MaxDepth - 1);

        Assert.DoesNotContain(SweepSpec.Parse(text).Errors, error => error.Reason.Contains("nests deeper"));
    }

    [Fact]
    public void Json_nested_past_the_limit_is_an_error()
    {
        var text = "{\"task\": " + new string('[', SpecLimits.MaxDepth) + new string(']', SpecLimits.MaxDepth) + "}";

        var error = Assert.Single(SweepSpec.Parse(text).Errors);

        Assert.Contains($"nests deeper than {SpecLimits.MaxDepth} levels", error.Reason);
    }

    [Theory]
    [InlineData("99999999999999d")]
    [InlineData("31d")]
    [InlineData("999999999999999999")]
    [InlineData("0s")]
    public void Time_limits_out_of_range_are_errors_not_exceptions(string limit)
    {
        var text = SweepSpecParsingTests.Quickstart.Replace("time_limit: 2h", $"time_limit: {limit}");

        var result = SweepSpec.Parse(text);

        Assert.Contains(result.Errors, error => error.Path == "budget.time_limit" && error.Reason.Contains("between 1s and 30 days"));
    }

    [Fact]
    public void A_time_limit_in_range_is_read()
    {
        var spec = SweepSpec.ParseOrThrow(SweepSpecParsingTests.Quickstart.Replace("time_limit: 2h", "time_limit: 1d2h"));

        Assert.Equal(TimeSpan.FromHours(26), spec.Budget.TimeLimit);
    }

    [Fact]
    public void A_json_number_beyond_double_is_an_error_at_its_path()
    {
        var json = SweepSpecParsingTests.QuickstartJson.Replace("\"retries\": 2,", "\"retries\": 1e400,");

        Assert.Contains(SweepSpec.Parse(json).Errors, error => error.ToString() == "retries: the number 1e400 is out of range");
    }

    [Fact]
    public void A_huge_yaml_integer_is_an_error_at_its_path()
    {
        var errors = SweepSpec.Parse(SweepSpecParsingTests.Quickstart.Replace("retries: 2", "retries: 99999999999999999999999")).Errors;

        Assert.Contains(errors, error => error.Path == "retries" && error.Reason.Contains("integer"));
    }

    [Theory]
    [InlineData("name: quick\0start\n", 1, 12)]
    [InlineData("a: 1\nb: \0\n", 2, 4)]
    public void Nul_characters_are_refused_with_their_position(string text, int line, int column)
    {
        var error = Assert.Single(SweepSpec.Parse(text).Errors);

        Assert.Equal($"spec contains a NUL character at line {line}, column {column}", error.Reason);
    }
}
