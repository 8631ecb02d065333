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
}
