using Microsoft.ML.OnnxRuntime;
using SamAudio.Inference.Runtime;

namespace SamAudio.Inference.Flow;

/// <summary>
/// The tensors of one window shape (latent frames T, prompts P, text length L) and the <see cref="OrtValue"/>s that
/// wrap them without copying; valid while this object lives. Float tensors sit in 64-byte aligned buffers so the
/// graphs' arithmetic depends on the values only.
/// </summary>
internal sealed class FlowWindowBuffers : IDisposable
{
    private readonly List<OrtValue> _values = [];

    public FlowWindowBuffers(int frames, int prompts, int textLength, int textDim, bool anchors)
    {
        Frames = frames;
        Prompts = prompts;
        TextLength = textLength;
        int samples = frames * FlowContract.Hop;
        int state = prompts * frames * FlowContract.StateChannels;
        Waveform = new AlignedBuffer(samples);
        Latent = new AlignedBuffer(frames * FlowContract.LatentChannels);
        AudioFeatures = new AlignedBuffer(prompts * frames * FlowContract.LatentChannels);
        State = new AlignedBuffer(state);
        Midpoint = new AlignedBuffer(state);
        Velocity = new AlignedBuffer(state);
        Time = new AlignedBuffer(prompts);
        Text = new AlignedBuffer(prompts * textLength * textDim);
        TextMask = GC.AllocateArray<long>(prompts * textLength, pinned: true);
        AnchorIds = GC.AllocateArray<long>(prompts * FlowAnchors.Ids.Length, pinned: true);
        AnchorAlignment = GC.AllocateArray<long>(prompts * frames, pinned: true);
        for (int i = 0; i < prompts; i++)
        {
            FlowAnchors.Ids.CopyTo(AnchorIds, i * FlowAnchors.Ids.Length);
        }

        DecoderLatent = new AlignedBuffer(2 * prompts * frames * FlowContract.LatentChannels);
        Decoded = new AlignedBuffer(2 * prompts * samples);
        try
        {
            long t = frames, p = prompts;
            var time = Wrap(Time, [p]);
            var audio = Wrap(AudioFeatures, [p, t, FlowContract.LatentChannels]);
            var text = Wrap(Text, [p, textLength, textDim]);
            var mask = Value(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, TextMask.AsMemory(), [p, textLength]));
            EncoderInputs = [Wrap(Waveform, [1, 1, samples])];
            EncoderOutputs = [Wrap(Latent, [1, t, FlowContract.LatentChannels])];
            OrtValue[] anchorValues = anchors
                ? [Value(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, AnchorIds.AsMemory(), [p, FlowAnchors.Ids.Length])),
                   Value(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, AnchorAlignment.AsMemory(), [p, t]))]
                : [];
            StateInputs = [Wrap(State, [p, t, FlowContract.StateChannels]), time, audio, text, mask, .. anchorValues];
            MidpointInputs = [Wrap(Midpoint, [p, t, FlowContract.StateChannels]), time, audio, text, mask, .. anchorValues];
            VelocityOutputs = [Wrap(Velocity, [p, t, FlowContract.StateChannels])];
            DecoderInputs = [Wrap(DecoderLatent, [2 * p, t, FlowContract.LatentChannels])];
            DecoderOutputs = [Wrap(Decoded, [2 * p, 1, samples])];
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Frames { get; }

    public int Prompts { get; }

    public int TextLength { get; }

    /// <summary>The window, reflect-padded to <see cref="Frames"/> x hop samples.</summary>
    public AlignedBuffer Waveform { get; }

    /// <summary>codec_encoder's output [1, T, 128].</summary>
    public AlignedBuffer Latent { get; }

    /// <summary>The latent repeated for every prompt [P, T, 128].</summary>
    public AlignedBuffer AudioFeatures { get; }

    /// <summary>The ODE state x [P, T, 256].</summary>
    public AlignedBuffer State { get; }

    /// <summary>The midpoint state [P, T, 256].</summary>
    public AlignedBuffer Midpoint { get; }

    public AlignedBuffer Velocity { get; }

    public AlignedBuffer Time { get; }

    public AlignedBuffer Text { get; }

    public long[] TextMask { get; }

    /// <summary><see cref="FlowAnchors.Ids"/> for every prompt [P, 4]; fed only when the graph has anchor inputs.</summary>
    public long[] AnchorIds { get; }

    /// <summary>Each prompt's anchor alignment over the window's frames [P, T].</summary>
    public long[] AnchorAlignment { get; }

    /// <summary>Target latents of every prompt, then residual latents [2P, T, 128].</summary>
    public AlignedBuffer DecoderLatent { get; }

    /// <summary>codec_decoder's output [2P, 1, T x hop].</summary>
    public AlignedBuffer Decoded { get; }

    public OrtValue[] EncoderInputs { get; }

    public OrtValue[] EncoderOutputs { get; }

    /// <summary>dit_velocity's inputs with the state x.</summary>
    public OrtValue[] StateInputs { get; }

    /// <summary>dit_velocity's inputs with the midpoint state.</summary>
    public OrtValue[] MidpointInputs { get; }

    public OrtValue[] VelocityOutputs { get; }

    public OrtValue[] DecoderInputs { get; }

    public OrtValue[] DecoderOutputs { get; }

    public bool Fits(int frames, int prompts, int textLength) => frames == Frames && prompts == Prompts && textLength == TextLength;

    private OrtValue Wrap(AlignedBuffer buffer, long[] shape) =>
        Value(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.Memory, shape));

    private OrtValue Value(OrtValue value)
    {
        _values.Add(value);
        return value;
    }

    public void Dispose()
    {
        _values.ForEach(v => v.Dispose());
        _values.Clear();
    }
}
