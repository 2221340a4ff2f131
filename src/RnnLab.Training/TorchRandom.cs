using TorchSharp;

namespace RnnLab.Training;

/// <summary>Serialises use of libtorch's process-wide generator, which weight initialisation and dropout draw from,
/// so trials on other threads cannot interleave their draws with a trial that seeds it.</summary>
internal static class TorchRandom
{
    private static readonly Lock Gate = new();

    public static T Seeded<T>(long seed, Func<T> action)
    {
        lock (Gate)
        {
            torch.manual_seed(seed);
            return action();
        }
    }
}
