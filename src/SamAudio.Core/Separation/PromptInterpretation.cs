namespace SamAudio.Core.Separation;

/// <summary>How a prompt was read against the captions its model was trained on (the pack's vocabulary).</summary>
/// <param name="Reading">
/// <see cref="Trained"/>: the prompt is worded as a trained caption and goes to the model as written;
/// <see cref="Neighbours"/>: new wording, replaced by the mean of the trained captions in <paramref name="Captions"/>;
/// <see cref="Unfamiliar"/>: like no trained caption, goes as written, and the separation is unlikely to be useful.
/// </param>
/// <param name="Class">The sound class of the nearest trained caption.</param>
/// <param name="Similarity">Cosine similarity of the prompt to the nearest trained caption (1 = same meaning).</param>
/// <param name="Captions">The trained captions the model was given, nearest first; for the other readings, the nearest.</param>
public sealed record PromptInterpretation(string Reading, string Class, double Similarity, IReadOnlyList<string> Captions)
{
    public const string Trained = "trained";
    public const string Neighbours = "neighbours";
    public const string Unfamiliar = "unfamiliar";
}
