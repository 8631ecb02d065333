using System.Runtime.Intrinsics;
using SamAudio.Core.Dsp;

namespace SamAudio.Core.Tests.Dsp;

public sealed class OrderedSumTests
{
    [Fact]
    public void Dot_gives_the_same_bits_wherever_the_values_sit_in_memory()
    {
        // The same 386 values (a 48 -> 16 kHz resampling kernel's length) placed at every offset of a larger array:
        // a reduction that aligns its loads to the address groups the partial sums differently at each offset.
        var random = new Random(7);
        var x = Enumerable.Range(0, 386).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var y = Enumerable.Range(0, 386).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        float expected = OrderedSum.Dot(x, y);
        for (int offset = 1; offset < 32; offset++)
        {
            var shiftedX = new float[x.Length + offset];
            var shiftedY = new float[y.Length + (31 - offset)];
            x.CopyTo(shiftedX, offset);
            y.CopyTo(shiftedY, 31 - offset);
            float actual = OrderedSum.Dot(shiftedX.AsSpan(offset), shiftedY.AsSpan(31 - offset, y.Length));
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(129)]
    public void Dot_matches_a_double_precision_sum(int length)
    {
        var random = new Random(length);
        var x = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        double exact = x.Zip(y, (a, b) => (double)a * b).Sum();
        Assert.Equal(exact, OrderedSum.Dot(x, y), 1e-4 * Math.Max(1, exact));
    }

    [Fact]
    public void Norm_is_the_square_root_of_the_dot_product_with_itself()
    {
        float[] x = [3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12];
        Assert.Equal(13f, OrderedSum.Norm(x));
    }

    [Fact]
    public void Dot_of_spans_of_different_lengths_is_refused()
    {
        Assert.Throws<ArgumentException>(() => OrderedSum.Dot(new float[3], new float[4]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(130)]
    [InlineData(386)]
    public void Dot_sums_in_the_documented_order_lane_i_mod_16_then_a_pairwise_fold(int length)
    {
        var random = new Random(length + 1);
        var x = Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var y = Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1) * 1e3f).ToArray();

        // The order written out one element at a time; any other grouping differs in the last bits for most inputs.
        var lanes = new float[16];
        for (int i = 0; i < length; i++) lanes[i % 16] += x[i] * y[i];
        for (int width = 8; width >= 1; width /= 2)
        {
            for (int k = 0; k < width; k++) lanes[k] += lanes[k + width];
        }

        Assert.Equal(BitConverter.SingleToInt32Bits(lanes[0]), BitConverter.SingleToInt32Bits(OrderedSum.Dot(x, y)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(130)]
    [InlineData(386)]
    public void Dot4_gives_each_dot_product_the_bits_of_Dot(int length)
    {
        var random = new Random(length + 2);
        var x = Enumerable.Range(0, length + 40).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var y = Enumerable.Range(0, (3 * length) + 5).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var xOffsets = Vector128.Create(0, 3, 17, 40);
        var yOffsets = Vector128.Create(length, 0, 5, 2 * length);

        var four = OrderedSum.Dot4(x, xOffsets, y, yOffsets, length);

        for (int j = 0; j < 4; j++)
        {
            float one = OrderedSum.Dot(x.AsSpan(xOffsets[j], length), y.AsSpan(yOffsets[j], length));
            Assert.Equal(BitConverter.SingleToInt32Bits(one), BitConverter.SingleToInt32Bits(four[j]));
        }
    }

    [Fact]
    public void Dot4_refuses_a_dot_product_that_runs_past_its_span()
    {
        var x = new float[20];
        var y = new float[16];
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderedSum.Dot4(x, Vector128.Create(0, 1, 2, 5), y, Vector128<int>.Zero, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderedSum.Dot4(x, Vector128<int>.Zero, y, Vector128.Create(0, 0, 1, 0), 16));
    }
}
