using RnnLab.Dashboard.Aggregation;

namespace RnnLab.Dashboard.Tests.Aggregation;

public class TextTaskTests
{
    [Theory]
    [InlineData("tinyshakespeare", true)]
    [InlineData("/data/verse.txt", true)]
    [InlineData("corpus.md", true)]
    [InlineData("/data/chorales.json", false)]
    [InlineData("jsb-chorales", false)]
    [InlineData("adding", false)]
    [InlineData("copy", false)]
    [InlineData("quadratic", false)]
    [InlineData("cloze", false)]
    [InlineData("cloze:/data/verse.txt", false)]
    [InlineData("translate", false)]
    [InlineData("/data/pairs.tsv", false)]
    [InlineData(null, false)]
    public void Only_text_tasks_offer_generated_text(string? task, bool text) => Assert.Equal(text, TextTask.IsText(task));

    [Theory]
    [InlineData("translate", true)]
    [InlineData("/data/pairs.tsv", true)]
    [InlineData("cloze", false)]
    [InlineData("tinyshakespeare", false)]
    [InlineData(null, false)]
    public void Only_translation_tasks_offer_translation(string? task, bool translation) => Assert.Equal(translation, TextTask.IsTranslation(task));

    [Fact]
    public void The_task_is_read_from_the_sweep_spec()
    {
        var spec = """
            name: t
            task: { name: "/tmp/verse.txt" }
            metric: { name: valid.bpc, direction: minimize }
            search:
              space:
                cell: { categorical: [lstm] }
            budget: { trials: 1 }
            """;

        Assert.Equal("/tmp/verse.txt", TextTask.Of(spec));
        Assert.Null(TextTask.Of("not: [a spec"));
    }
}
