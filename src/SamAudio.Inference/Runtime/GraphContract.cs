using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SamAudio.Inference.Packs;

namespace SamAudio.Inference.Runtime;

/// <summary>Checks that an opened graph has the inputs and outputs its pack declares.</summary>
internal static class GraphContract
{
    /// <exception cref="ModelPackException">Names the graph file and the missing or unexpected names.</exception>
    public static void Verify(InferenceSession session, GraphSpec spec, string path)
    {
        Compare("inputs", session.InputNames, spec.Inputs, path);
        Compare("outputs", session.OutputNames, spec.Outputs, path);
    }

    /// <summary>Checks the rank, element type and fixed sizes of graph value <paramref name="name"/> against
    /// <paramref name="expected"/> (-1 where any size is accepted); errors name <paramref name="path"/>.</summary>
    public static void VerifyShape(InferenceSession session, string name, int[] expected, string path) =>
        VerifyShape(session, name, TensorElementType.Float, expected, path);

    /// <summary>As <see cref="VerifyShape(InferenceSession, string, int[], string)"/> for element type <paramref name="type"/>.</summary>
    public static void VerifyShape(InferenceSession session, string name, TensorElementType type, int[] expected, string path)
    {
        var metadata = session.InputMetadata.TryGetValue(name, out var input) ? input : session.OutputMetadata[name];
        if (metadata.ElementDataType != type)
        {
            throw new ModelPackException(ModelPackError.GraphMismatch, path, $"'{name}' is {metadata.ElementDataType}, the pack expects {type}.");
        }

        int[] actual = metadata.Dimensions;
        bool fits = actual.Length == expected.Length &&
                    actual.Zip(expected).All(d => d.Second < 0 || d.First < 0 || d.First == d.Second);
        if (!fits)
        {
            throw new ModelPackException(ModelPackError.GraphMismatch, path,
                $"'{name}' has shape [{Format(actual)}], the pack expects [{Format(expected)}].");
        }
    }

    private static void Compare(string what, IReadOnlyList<string> actual, IReadOnlyList<string> declared, string path)
    {
        var missing = declared.Except(actual, StringComparer.Ordinal).ToArray();
        var unexpected = actual.Except(declared, StringComparer.Ordinal).ToArray();
        if (missing.Length == 0 && unexpected.Length == 0)
        {
            return;
        }

        string detail = string.Join("; ", new[]
        {
            missing.Length > 0 ? $"missing {string.Join(", ", missing)}" : null,
            unexpected.Length > 0 ? $"not declared {string.Join(", ", unexpected)}" : null,
        }.Where(s => s is not null));
        throw new ModelPackException(ModelPackError.GraphMismatch, path,
            $"graph {what} are [{string.Join(", ", actual)}] but the pack declares [{string.Join(", ", declared)}] ({detail}).");
    }

    private static string Format(int[] dims) => string.Join(", ", dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
