namespace RnnLab.Models;

/// <summary>What the network outputs after its recurrent layers (always logits; the loss applies σ or softmax).</summary>
public enum HeadKind
{
    /// <summary>Logits of independent binary labels at every step.</summary>
    PerStepSigmoid,

    /// <summary>Logits over a vocabulary at every step.</summary>
    PerStepSoftmax,

    /// <summary>Linear output at each sequence's last valid step (many-to-one).</summary>
    LastStep,

    /// <summary>Logits over the target vocabulary at every step of an attentional decoder (see <see cref="Seq2Seq.Seq2SeqNetwork"/>).</summary>
    Sequence,
}
