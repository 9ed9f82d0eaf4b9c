using System.ComponentModel.DataAnnotations;

namespace OffshoreLedger.Node.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    [Required]
    public string DataDirectory { get; set; } = "";
}
