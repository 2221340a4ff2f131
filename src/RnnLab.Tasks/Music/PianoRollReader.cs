using System.Text.Json;

namespace RnnLab.Tasks.Music;

/// <summary>Reads a piano-roll JSON file; every malformation is reported with the file and the place
/// (JSON line/position, or a path such as <c>train[3][17][2]</c>).</summary>
public static class PianoRollReader
{
    public static PianoRoll Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"music file '{path}' does not exist", path);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(
                $"{path}: not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: expected a JSON object with keys train, valid, test; found {root.ValueKind}");
            }

            return new PianoRoll(ReadSplit(path, root, "train"), ReadSplit(path, root, "valid"), ReadSplit(path, root, "test"));
        }
    }

    private static List<IReadOnlyList<int[]>> ReadSplit(string path, JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var split))
        {
            throw new InvalidDataException($"{path}: missing key '{name}' (expected keys train, valid, test)");
        }

        Expect(path, split, JsonValueKind.Array, name, "a list of sequences");
        var sequences = new List<IReadOnlyList<int[]>>(split.GetArrayLength());
        var s = 0;
        foreach (var sequence in split.EnumerateArray())
        {
            var where = $"{name}[{s}]";
            Expect(path, sequence, JsonValueKind.Array, where, "a sequence (list of time steps)");
            if (sequence.GetArrayLength() == 0)
            {
                throw new InvalidDataException($"{path}: {where}: empty sequence");
            }

            var frames = new List<int[]>(sequence.GetArrayLength());
            var t = 0;
            foreach (var frame in sequence.EnumerateArray())
            {
                frames.Add(ReadFrame(path, frame, $"{where}[{t}]"));
                t++;
            }

            sequences.Add(frames);
            s++;
        }

        return sequences;
    }

    private static int[] ReadFrame(string path, JsonElement frame, string where)
    {
        Expect(path, frame, JsonValueKind.Array, where, "a time step (list of MIDI note numbers)");
        var keys = new int[frame.GetArrayLength()];
        var n = 0;
        foreach (var note in frame.EnumerateArray())
        {
            var at = $"{where}[{n}]";
            if (note.ValueKind != JsonValueKind.Number || !note.TryGetDouble(out var value) || value != Math.Floor(value))
            {
                throw new InvalidDataException($"{path}: {at}: expected an integer MIDI note number, found {Describe(note)}");
            }

            if (value < PianoRoll.LowestNote || value >= PianoRoll.LowestNote + PianoRoll.Keys)
            {
                throw new InvalidDataException($"{path}: {at}: note {value} is outside the piano range 21–108");
            }

            keys[n++] = (int)value - PianoRoll.LowestNote;
        }

        return keys;
    }

    private static void Expect(string path, JsonElement element, JsonValueKind kind, string where, string what)
    {
        if (element.ValueKind != kind)
        {
            throw new InvalidDataException($"{path}: {where}: expected {what}, found {Describe(element)}");
        }
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"string \"{element.GetString()}\"",
        JsonValueKind.Number => $"number {element.GetRawText()}",
        _ => element.ValueKind.ToString().ToLowerInvariant(),
    };
}
