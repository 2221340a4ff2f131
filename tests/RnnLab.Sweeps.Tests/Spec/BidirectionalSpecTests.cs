using RnnLab.Sweeps.Spec;

namespace RnnLab.Sweeps.Tests.Spec;

/// <summary>A bidirectional network on a next-step task reads its own targets; a spec that could sample one is refused.</summary>
public class BidirectionalSpecTests
{
    private static string Spec(string task, string fixedBidirectional, string spaceBidirectional) => $$"""
        name: leak
        task: { name: {{task}} }
        metric: { name: valid.nll, direction: minimize }
        fixed: { layers: 1{{fixedBidirectional}} }
        search:
          sampler: { type: random }
          space:
            lr: { loguniform: [1.0e-4, 1.0e-2] }
        {{spaceBidirectional}}
        budget: { trials: 4 }
        """;

    [Theory]
    [InlineData("jsb-chorales")]
    [InlineData("tinyshakespeare")]
    [InlineData("data/nottingham.json")]
    [InlineData("corpus.txt")]
    public void A_fixed_bidirectional_network_on_a_next_step_task_is_refused_with_the_reason(string task)
    {
        var errors = SweepSpec.Parse(Spec(task, ", bidirectional: true", "")).Errors;

        var error = Assert.Single(errors);
        Assert.Equal("fixed.bidirectional", error.Path);
        Assert.Contains("predicts the next step", error.Reason);
        Assert.Contains("t+1", error.Reason);
    }

    [Theory]
    [InlineData("    bidirectional: { categorical: [false, true] }")]
    [InlineData("    bidirectional: [true, false]")]
    [InlineData("    bidirectional: { categorical: [false, true], when: { lr: 0.001 } }")]
    [InlineData("    bidirectional: true")]
    public void A_space_that_can_sample_bidirectional_on_a_next_step_task_is_refused(string space)
    {
        var errors = SweepSpec.Parse(Spec("jsb-chorales", "", space)).Errors;

        var error = Assert.Single(errors, e => e.Path == "search.space.bidirectional");
        Assert.Contains("next step", error.Reason);
    }

    [Fact]
    public void A_unidirectional_network_on_a_next_step_task_is_accepted()
    {
        Assert.True(SweepSpec.Parse(Spec("jsb-chorales", ", bidirectional: false", "")).IsValid);
        Assert.True(SweepSpec.Parse(Spec("jsb-chorales", "", "    bidirectional: { categorical: [false] }")).IsValid);
    }

    [Theory]
    [InlineData("adding")]
    [InlineData("copy")]
    [InlineData("cloze")]
    [InlineData("\"cloze:data/novel.txt\"")]
    [InlineData("translate")]
    [InlineData("data/pairs.tsv")]
    public void Tasks_whose_answer_comes_after_the_sequence_accept_bidirectional_layers(string task)
    {
        var fixedResult = SweepSpec.Parse(Spec(task, ", bidirectional: true", ""));
        var searched = SweepSpec.Parse(Spec(task, "", "    bidirectional: { categorical: [false, true] }"));

        Assert.True(fixedResult.IsValid, string.Join("\n", fixedResult.Errors));
        Assert.True(searched.IsValid, string.Join("\n", searched.Errors));
    }
}
