using System.Text.Json;
using SamAudio.Inference.Bench;

// Usage:
//   anchors <out.json>                      MiniLM embeddings the band-mask test pack is built from
//   window-cost <pack> [seconds] [prompts]  per-window CPU cost of a mask-family pack
//   stft-placement <pack> <graph-with-stft.onnx> [seconds]
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

    default:
        Console.Error.WriteLine("usage: anchors <out.json> | window-cost <pack> [seconds] [prompts] | stft-placement <pack> <graph.onnx> [seconds]");
        return 2;
}
