using EdgeGateway.Core.Models;

namespace EdgeGateway.ModelLab.Packaging;

/// <summary>Reads package folders for the lab's commands.</summary>
public static class PackageReader
{
    /// <summary>Reads and parses <c>manifest.json</c> of a package folder.</summary>
    public static ModelManifest ReadManifest(string folder)
    {
        var path = Path.Combine(folder, PackageSignature.ManifestFileName);
        if (!File.Exists(path))
        {
            throw new LabException($"{path}: package manifest not found");
        }

        try
        {
            return ManifestJson.Deserialize(File.ReadAllBytes(path), path);
        }
        catch (InvalidDataException ex)
        {
            throw new LabException(ex.Message, ex);
        }
    }
}
