using RnnLab.Sweeps.Parameters;

namespace RnnLab.Sweeps.Tests.Parameters;

public class ParameterSetTests
{
    [Fact]
    public void Json_round_trip_keeps_every_kind()
    {
        var parameters = ParameterSet.From(new Dictionary<string, ParameterValue>
        {
            ["lr"] = 1.0,
            ["momentum"] = 0.1 + 0.2,
            ["tiny"] = 1e-300,
            ["hidden"] = 128L,
            ["seed"] = long.MaxValue,
            ["cell"] = "lstm-cifg",
            ["bidirectional"] = true,
        });

        var json = parameters.ToJson();
        var back = ParameterSet.FromJson(json);

        Assert.Equal(parameters, back);
        Assert.Equal(ParameterKind.Real, back["lr"].Kind);
        Assert.Equal(ParameterKind.Integer, back["hidden"].Kind);
        Assert.Equal(0.1 + 0.2, back.GetDouble("momentum"));
        Assert.Equal(long.MaxValue, back.GetLong("seed"));
        Assert.Contains("\"lr\":1.0", json);
    }

    [Fact]
    public void Equality_is_by_content()
    {
        var a = ParameterSet.Empty.With("lr", 0.01).With("cell", "gru");
        var b = ParameterSet.Empty.With("cell", "gru").With("lr", 0.01);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b.With("lr", 0.02));
        Assert.NotEqual(ParameterSet.Empty.With("x", 1L), ParameterSet.Empty.With("x", 1.0));
    }

    [Fact]
    public void Non_finite_values_and_nested_json_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ParameterValue.Real(double.NaN));
        var error = Assert.Throws<FormatException>(() => ParameterSet.FromJson("{\"x\": [1]}"));
        Assert.Contains("'x'", error.Message);
    }
}
