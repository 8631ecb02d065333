using System.Globalization;

namespace SamAudio.Core.Evaluation;

/// <summary>
/// One sound placed in a soundscape with a known span: a prompted <c>event</c> of <paramref name="Class"/> or a
/// <c>distractor</c> (a sound no prompt asks for). <paramref name="Package"/> and <paramref name="WholePackage"/> say
/// where the recording came from and whether its whole package is held out of training.
/// </summary>
public sealed record SoundEvent(string Class, double StartSeconds, double EndSeconds, double SnrDb, bool IsDistractor, string Package, bool WholePackage)
{
    public double Seconds => EndSeconds - StartSeconds;

    /// <summary>
    /// Reads an events file (CSV with a header): <c>class,start,end</c> are required; <c>snr</c>, <c>kind</c>
    /// (<c>event</c> or <c>distractor</c>, default event), <c>package</c> and <c>heldout</c> (<c>package</c> marks a
    /// whole held-out package) are optional. Fields hold no commas.
    /// </summary>
    public static IReadOnlyList<SoundEvent> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0)
        {
            throw new InvalidDataException($"{path}: empty events file.");
        }

        var header = lines[0].Split(',').Select(h => h.Trim()).ToList();
        int Column(string name, bool required)
        {
            int i = header.IndexOf(name);
            return i >= 0 || !required ? i : throw new InvalidDataException($"{path}: the header has no '{name}' column.");
        }

        int cls = Column("class", true), start = Column("start", true), end = Column("end", true);
        int snr = Column("snr", false), kind = Column("kind", false), package = Column("package", false), heldout = Column("heldout", false);
        var events = new List<SoundEvent>();
        for (int row = 1; row < lines.Count; row++)
        {
            var f = lines[row].Split(',');
            string Get(int i) => i >= 0 && i < f.Length ? f[i].Trim() : "";
            double Number(int i) => double.TryParse(Get(i), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                ? v
                : throw new InvalidDataException($"{path}: line {row + 1}: '{Get(i)}' in column {header[i]} is not a number.");
            double s = Number(start), e = Number(end);
            if (!(e > s))
            {
                throw new InvalidDataException($"{path}: line {row + 1}: end {e} is not after start {s}.");
            }

            events.Add(new SoundEvent(Get(cls), s, e, snr >= 0 ? Number(snr) : double.NaN, Get(kind) == "distractor", Get(package), Get(heldout) == "package"));
        }

        return events;
    }
}
