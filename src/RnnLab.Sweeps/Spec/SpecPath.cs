namespace RnnLab.Sweeps.Spec;

/// <summary>Builds error paths in the spec's own style: search.space.lr.loguniform[0].</summary>
internal static class SpecPath
{
    public static string Key(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Index(string path, int index) => $"{path}[{index}]";
}
