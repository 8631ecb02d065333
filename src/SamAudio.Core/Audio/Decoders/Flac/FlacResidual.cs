namespace SamAudio.Core.Audio.Decoders.Flac;

/// <summary>The partitioned Rice residual (RFC 9639, section 9.2.7): 4-bit (Rice) or 5-bit (Rice2) parameters,
/// with the escape code for partitions stored as plain signed numbers.</summary>
internal static class FlacResidual
{
    /// <summary>Reads the residual of <paramref name="block"/> after its first <paramref name="order"/> (warm-up) samples.</summary>
    public static void Read(FlacBitReader input, Span<int> block, int order)
    {
        var method = input.ReadBits(2);
        if (method > 1) throw FlacSubframeDecoder.Damaged("a residual uses the reserved coding method " + method);
        var parameterBits = method == 0 ? 4 : 5;
        var escape = (1 << parameterBits) - 1;
        var partitionOrder = (int)input.ReadBits(4);
        var partitions = 1 << partitionOrder;
        var partitionSize = block.Length >> partitionOrder;
        if ((partitionSize << partitionOrder) != block.Length || partitionSize < order)
            throw FlacSubframeDecoder.Damaged("a residual's partitions do not fit its block");

        var at = order;
        for (var p = 0; p < partitions; p++)
        {
            var count = p == 0 ? partitionSize - order : partitionSize;
            var target = block.Slice(at, count);
            var parameter = (int)input.ReadBits(parameterBits);
            if (parameter == escape)
            {
                var bits = (int)input.ReadBits(5);
                for (var i = 0; i < target.Length; i++) target[i] = input.ReadSigned(bits);
            }
            else
            {
                input.ReadRice(target, parameter);
            }

            at += count;
        }
    }
}
