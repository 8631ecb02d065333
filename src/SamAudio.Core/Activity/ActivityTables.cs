using System.Globalization;
using System.Text;

namespace SamAudio.Core.Activity;

/// <summary>Formats activity regions as the per-prompt CSV and the Raven selection table of an item.</summary>
public static class ActivityTables
{
    /// <summary><c>start,end,level_db,confidence</c>, one row per region, seconds with millisecond precision.</summary>
    public static string ToCsv(IEnumerable<ActivityRegion> regions)
    {
        var sb = new StringBuilder("start,end,level_db,confidence\n");
        foreach (var r in regions)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.StartSeconds:F3},{r.EndSeconds:F3},{r.LevelDb:F2},{r.Confidence:F3}\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// A Raven Pro selection table (tab-separated) holding every prompt's regions ordered by start time;
    /// the annotation column names the prompt. Frequencies span the analysed band, 0 Hz to Nyquist.
    /// </summary>
    public static string ToRavenSelectionTable(IEnumerable<(string Prompt, ActivityRegion Region)> selections, double nyquistHz)
    {
        var sb = new StringBuilder("Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tAnnotation\tLevel (dB)\tConfidence\n");
        int n = 0;
        foreach (var (prompt, r) in selections.OrderBy(s => s.Region.StartSeconds).ThenBy(s => s.Prompt, StringComparer.Ordinal))
        {
            string annotation = prompt.Replace('\t', ' ');
            sb.Append(CultureInfo.InvariantCulture,
                $"{++n}\tSpectrogram 1\t1\t{r.StartSeconds:F3}\t{r.EndSeconds:F3}\t0.0\t{nyquistHz:F1}\t{annotation}\t{r.LevelDb:F2}\t{r.Confidence:F3}\n");
        }

        return sb.ToString();
    }
}
