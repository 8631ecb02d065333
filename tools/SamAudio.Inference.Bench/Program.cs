using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SamAudio.Inference.Bench;

// Usage:
//   anchors <out.json>                      MiniLM embeddings the band-mask test pack is built from
//   window-cost <pack> [seconds] [prompts]  per-window CPU cost of a mask-family pack
//   stft-placement <pack> <graph-with-stft.onnx> [seconds]
//   residual-band <pack> <recording> <prompt> <out-folder> [rate] [band-low-hz] [band-high-hz]
//                                           target/residual above the model's band, |target + residual - mixture|
//   flow-memory <pack> <minutes> [steps] [multidiffusion|crossfade]
//                                           peak live memory of a long flow-family run (docs/decisions/0005)
string command = args.Length > 0 ? args[0] : "";
switch (command)
{
    case "anchors":
        {
            string[] texts = ["low rumble", "high hiss"];
            float[][] rows = Anchors.Embed(texts);
            var json = new Dictionary<string, float[]> { [texts[0]] = rows[0], [texts[1]] = rows[1] };
            File.WriteAllText(args[1], JsonSerializer.Serialize(json) + "\n");
            return 0;
        }

    case "window-cost":
        {
            double seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
            int prompts = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
            await WindowCost.RunAsync(args[1], seconds, prompts, NullLogger.Instance);
            return 0;
        }

    case "stft-placement":
        {
            double seconds = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 10;
            StftPlacement.Run(args[1], args[2], seconds);
            return 0;
        }

    case "residual-band":
        {
            int? rate = args.Length > 5 && args[5] != "native" ? int.Parse(args[5], CultureInfo.InvariantCulture) : null;
            double low = args.Length > 6 ? double.Parse(args[6], CultureInfo.InvariantCulture) : 8_500;
            double high = args.Length > 7 ? double.Parse(args[7], CultureInfo.InvariantCulture) : 11_000;
            await ResidualBand.RunAsync(args[1], args[2], args[3], rate, low, high, args[4], NullLogger.Instance);
            return 0;
        }

    case "flow-memory":
        {
            int steps = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 16;
            await FlowMemory.RunAsync(args[1], double.Parse(args[2], CultureInfo.InvariantCulture), steps, args.Length > 4 ? args[4] : "multidiffusion", NullLogger.Instance);
            return 0;
        }

    default:
        Console.Error.WriteLine("usage: anchors <out.json> | window-cost <pack> [seconds] [prompts] | stft-placement <pack> <graph.onnx> [seconds] | residual-band <pack> <recording> <prompt> <out-folder> [rate|native] [low-hz] [high-hz] | flow-memory <pack> <minutes> [steps] [method]");
        return 2;
}
