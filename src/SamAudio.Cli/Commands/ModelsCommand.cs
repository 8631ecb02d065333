using System.CommandLine;
using System.Globalization;
using SamAudio.Inference.Packs;

namespace SamAudio.Cli.Commands;

/// <summary><c>samaudio models list</c>: the model packs installed beside the binary and in <c>SAMAUDIO_MODELS</c>.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliConsole console)
    {
        var list = new Command("list", "List installed model packs (id, version, family, rate, windowing, folder).");
        list.SetAction(_ => List(ModelCatalog.Default, console.Out));
        var models = new Command("models", "Model packs.");
        models.Subcommands.Add(list);
        return models;
    }

    /// <summary>Writes one line per pack; returns 0, or 1 when no pack is installed.</summary>
    public static int List(ModelCatalog catalog, TextWriter output)
    {
        var entries = catalog.List();
        if (entries.Count == 0)
        {
            output.WriteLine($"No model packs found (searched {string.Join(", ", catalog.Roots)}).");
            return 1;
        }

        output.WriteLine($"{"ID",-20} {"VERSION",-9} {"FAMILY",-7} {"RATE",6} {"SEGMENT",8} {"ENCODER",-16} FOLDER");
        foreach (var entry in entries)
        {
            if (entry.Manifest is not { } m)
            {
                output.WriteLine($"{entry.Id,-20} {"-",-9} {"-",-7} {"-",6} {"-",8} {"-",-16} {entry.Folder}  (unusable: {entry.Problem})");
                continue;
            }

            string segment = string.Create(CultureInfo.InvariantCulture, $"{m.SegmentSeconds:0.##}/{m.OverlapSeconds:0.##}s");
            output.WriteLine($"{m.Id,-20} {m.Version,-9} {m.Family,-7} {m.SampleRate,6} {segment,8} {m.TextEncoder.Model,-16} {entry.Folder}");
        }

        return 0;
    }
}
