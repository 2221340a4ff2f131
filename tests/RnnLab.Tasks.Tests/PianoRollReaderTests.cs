using RnnLab.Tasks.Music;

namespace RnnLab.Tasks.Tests;

public sealed class PianoRollReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-music-").FullName;

    [Fact]
    public void JsbChoralesHasTheBoulangerLewandowskiSplit()
    {
        var roll = PianoRollReader.Read(TestData.Jsb);

        Assert.Equal([229, 76, 77], new[] { roll.Train.Count, roll.Valid.Count, roll.Test.Count });
        Assert.Equal([13_807L, 4_602L, 4_725L], new[] { PianoRoll.Frames(roll.Train), PianoRoll.Frames(roll.Valid), PianoRoll.Frames(roll.Test) });
    }

    [Fact]
    public void NotesBecomeKeysCountedFromA0()
    {
        var path = Write("""{"train": [[[21, 108], []]], "valid": [[[60]]], "test": [[[64]]]}""");

        var roll = PianoRollReader.Read(path);

        Assert.Equal([0, 87], roll.Train[0][0]);
        Assert.Empty(roll.Train[0][1]);
        Assert.Equal([39], roll.Valid[0][0]);
    }

    [Theory]
    [InlineData("""{"train": [[[60]]], "valid": [[[60]]]}""", "missing key 'test'")]
    [InlineData("""{"train": [[[60]]], "valid": [[[60, 120]]], "test": [[[60]]]}""", "valid[0][0][1]: note 120 is outside")]
    [InlineData("""{"train": [[[60], ["C4"]]], "valid": [[[60]]], "test": [[[60]]]}""", "train[0][1][0]: expected an integer MIDI note number, found string \"C4\"")]
    [InlineData("""{"train": [[60]], "valid": [[[60]]], "test": [[[60]]]}""", "train[0][0]: expected a time step")]
    [InlineData("""{"train": [[]], "valid": [[[60]]], "test": [[[60]]]}""", "train[0]: empty sequence")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("{\"train\": [[[60]]],\n \"valid\": [[[60]]\n", "not valid JSON at line")]
    public void MalformedFilesNameTheFileAndThePlace(string json, string expected)
    {
        var path = Write(json);

        var error = Assert.Throws<InvalidDataException>(() => PianoRollReader.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    private string Write(string json)
    {
        var path = Path.Combine(_dir, $"music-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
