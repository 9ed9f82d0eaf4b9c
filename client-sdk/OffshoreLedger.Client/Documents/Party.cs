namespace OffshoreLedger.Client.Documents;

/// <summary>
/// A company named on a trade document: shipper, consignee, seller, buyer, debtor or creditor.
/// </summary>
/// <remarks>
/// Keys identify a party by its LEI when it has one, otherwise by registration id within its country,
/// never by name: names are re-typed too freely ("Pte. Ltd." versus "Private Limited") to match.
/// </remarks>
public sealed record Party
{
    /// <summary>The party's legal name as printed on the document.</summary>
    public required string Name { get; init; }

    /// <summary>Legal Entity Identifier (ISO 17442), 20 characters, if the party has one.</summary>
    public string? Lei { get; init; }

    /// <summary>Company registration number in <see cref="CountryCode"/> (for example a Singapore UEN).</summary>
    public string? RegistrationId { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country of registration; required with <see cref="RegistrationId"/>.</summary>
    public string? CountryCode { get; init; }
}
