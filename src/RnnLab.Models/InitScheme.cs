namespace RnnLab.Models;

/// <summary>How weights are drawn at construction; <see cref="NetworkOptions.InitScale"/> scales Uniform and Normal.</summary>
public enum InitScheme
{
    /// <summary>U(−scale, scale).</summary>
    Uniform,

    /// <summary>N(0, scale²).</summary>
    Normal,

    /// <summary>Glorot uniform per gate block (scale ignored).</summary>
    Xavier,

    /// <summary>Orthogonal recurrent blocks, Glorot uniform input weights (scale ignored).</summary>
    Orthogonal,
}
