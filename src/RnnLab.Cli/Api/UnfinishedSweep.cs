using RnnLab.Contracts.V1;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Cli.Api;

/// <summary>An unfinished sweep with the same name as a spec, and how its stored spec differs from the spec's text.</summary>
public sealed record UnfinishedSweep(Sweep Sweep, IReadOnlyList<string> Differences)
{
    /// <summary>The newest running or paused sweep named like <paramref name="specText"/>'s spec, or null.</summary>
    public static async Task<UnfinishedSweep?> FindAsync(SweepService.SweepServiceClient client, string specText, CancellationToken cancellationToken)
    {
        if (SweepSpec.Parse(specText).Spec is not { } spec)
        {
            return null; // submitting reports every error
        }

        var page = await client.ListSweepsAsync(new ListSweepsRequest { States = { SweepState.Running, SweepState.Paused }, PageSize = 1000 },
            cancellationToken: cancellationToken);
        var match = page.Sweeps.Where(s => s.Name == spec.Name).MaxBy(s => s.CreatedAt?.ToDateTime());
        return match is null ? null : new UnfinishedSweep(match, Diff(match.SpecText, specText));
    }

    /// <summary>The lines only the stored spec has (-) and only the new one has (+); empty when they are the same text.</summary>
    public static IReadOnlyList<string> Diff(string stored, string current)
    {
        static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToArray();
        var before = Lines(stored);
        var after = Lines(current);
        if (before.SequenceEqual(after))
        {
            return [];
        }

        var removed = before.Except(after).Select(l => "- " + l.Trim());
        var added = after.Except(before).Select(l => "+ " + l.Trim());
        var differences = removed.Concat(added).ToList();
        return differences.Count > 0 ? differences : ["(the same lines in another order)"];
    }
}
