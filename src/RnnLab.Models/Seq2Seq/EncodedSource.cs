using static TorchSharp.torch;

namespace RnnLab.Models.Seq2Seq;

/// <summary>What the encoder made of a batch of sources: its top layer's outputs [S,B,E], their projection as
/// attention keys [S,B,H], the source mask [S,B] (null when nothing is padded) and the top layer's final state
/// per direction (h first), which the bridge turns into the decoder's initial state.</summary>
public sealed record EncodedSource(Tensor Outputs, Tensor Keys, Tensor? Mask, Tensor[][] FinalState);
