using NAudio.Wave;

namespace SamAudio.Reports.Signals;

/// <summary>Reads a <see cref="SignalSource"/> forward, never past the item's last frame. Owns what it reads from.</summary>
internal sealed class SignalReader(ISampleProvider provider, IDisposable owner, long remaining) : IDisposable
{
    internal ISampleProvider Provider => provider;

    /// <summary>Fills <paramref name="buffer"/> as far as the signal goes; fewer samples only at its end, 0 after it.</summary>
    public int ReadFully(Span<float> buffer)
    {
        int wanted = (int)Math.Min(buffer.Length, remaining);
        int got = 0;
        while (got < wanted)
        {
            int n = provider.Read(buffer[got..wanted]);
            if (n <= 0) break;
            got += n;
        }

        remaining -= got;
        return got;
    }

    public void Dispose() => owner.Dispose();
}
