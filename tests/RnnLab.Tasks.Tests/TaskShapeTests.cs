using SweepShapes = RnnLab.Sweeps.Parameters.TaskShapes;

namespace RnnLab.Tasks.Tests;

/// <summary>Every task declares its shape, and spec validation (Sweeps, by name) knows the same shape as the task itself.</summary>
public sealed class TaskShapeTests
{
    public static TheoryData<string, TaskShape> BuiltIns => new()
    {
        { "jsb-chorales", TaskShape.NextStep },
        { "tinyshakespeare", TaskShape.NextStep },
        { "adding", TaskShape.SequenceToAnswer },
        { "copy", TaskShape.SequenceToAnswer },
        { "cloze", TaskShape.Masked },
        { "translate", TaskShape.SequenceToSequence },
    };

    [Theory]
    [MemberData(nameof(BuiltIns))]
    public void A_built_in_task_declares_the_shape_both_vocabularies_give_its_name(string name, TaskShape expected)
    {
        var task = TaskCatalog.Create(name, new Dictionary<string, string> { ["epoch_chars"] = "1000" }.Where(_ => name is "tinyshakespeare" or "cloze")
            .ToDictionary(), TestData.Directory);

        Assert.Equal(expected, task.Shape);
        Assert.Equal(expected, TaskShapes.Of(name));
        Assert.Equal(expected.ToString(), SweepShapes.Of(name).ToString());
        Assert.Equal(TaskShapes.AllowsBidirectional(expected), SweepShapes.AllowsBidirectional(SweepShapes.Of(name)));
    }

    [Fact]
    public void Every_built_in_task_is_covered_and_the_vocabularies_have_the_same_words()
    {
        Assert.Equal(TaskCatalog.BuiltInNames.Order(), BuiltIns.Select(row => (string)row[0]).Order());
        Assert.Equal(Enum.GetNames<TaskShape>(), Enum.GetNames<RnnLab.Sweeps.Parameters.TaskShape>());
    }

    [Fact]
    public void Task_files_predict_the_next_step()
    {
        var music = TaskCatalog.Create(TestData.Jsb);

        Assert.Equal(TaskShape.NextStep, music.Shape);
        Assert.Equal(TaskShape.NextStep, TaskShapes.Of(TestData.Jsb));
        Assert.Equal("NextStep", SweepShapes.Of(TestData.Jsb).ToString());
        Assert.False(TaskShapes.AllowsBidirectional(TaskShape.NextStep));
    }
}
