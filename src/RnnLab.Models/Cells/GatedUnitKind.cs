namespace RnnLab.Models.Cells;

/// <summary>
/// The GRU and Jozefowicz's MUT1–3 share one shape: gates z and r, a candidate tanh(x-side + W(r ⊙ h)),
/// and a convex mix of h and the candidate. They differ in what feeds z and which side z weights.
/// </summary>
public enum GatedUnitKind
{
    /// <summary>u from x and h; h' = u ⊙ h + (1 − u) ⊙ ĥ.</summary>
    Gru,

    /// <summary>z from x only; the candidate adds tanh(x) instead of a weighted x.</summary>
    Mut1,

    /// <summary>z from x and h; r adds x itself instead of a weighted x.</summary>
    Mut2,

    /// <summary>z from x and tanh(h).</summary>
    Mut3,
}
