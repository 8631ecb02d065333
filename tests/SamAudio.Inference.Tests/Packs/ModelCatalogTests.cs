using SamAudio.Inference.Packs;
using SamAudio.Inference.Tests.Support;

namespace SamAudio.Inference.Tests.Packs;

public sealed class ModelCatalogTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "models");

    [Fact]
    public void List_finds_installed_packs_below_the_root()
    {
        var entries = new ModelCatalog([Root]).List();

        var bandmask = Assert.Single(entries, e => e.Id == "bandmask");
        Assert.Null(bandmask.Problem);
        Assert.Equal(Path.GetFullPath(TestPaths.BandMask), bandmask.Folder);
    }

    [Fact]
    public void List_shows_a_broken_pack_with_its_problem()
    {
        string root = Path.Combine(Path.GetTempPath(), "samaudio-models-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "broken"));
        File.WriteAllText(Path.Combine(root, "broken", ModelPack.ManifestFileName), "{ not json");

        var entry = Assert.Single(new ModelCatalog([root]).List());

        Assert.Equal("broken", entry.Id);
        Assert.Null(entry.Manifest);
        Assert.Contains("modelpack.json", entry.Problem);
    }

    [Fact]
    public void Resolve_accepts_an_id_or_a_folder()
    {
        var catalog = new ModelCatalog([Root]);

        Assert.Equal(Path.GetFullPath(TestPaths.BandMask), catalog.Resolve("bandmask"));
        Assert.Equal(Path.GetFullPath(TestPaths.BandMask), catalog.Resolve(TestPaths.BandMask));
    }

    [Fact]
    public void Resolve_of_an_unknown_id_lists_what_is_installed()
    {
        var e = Assert.Throws<ModelPackException>(() => new ModelCatalog([Root]).Resolve("samaudio-huge"));

        Assert.Equal(ModelPackError.NotFound, e.Error);
        Assert.Contains("samaudio-huge", e.Message);
        Assert.Contains("bandmask", e.Message);
    }
}
