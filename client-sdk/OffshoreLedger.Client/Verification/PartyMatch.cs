using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Client.Verification;

/// <summary>Whether two documents name the same party: by LEI when both carry one, else by registration id, else by name.</summary>
public static class PartyMatch
{
    /// <summary>The same party? Identifiers and names are compared normalised (case, spaces and punctuation ignored).</summary>
    /// <param name="a">One party.</param>
    /// <param name="b">The other.</param>
    /// <returns>True when they identify the same organisation.</returns>
    public static bool Same(Party a, Party b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (Has(a.Lei) && Has(b.Lei)) return Equal(a.Lei, b.Lei);
        if (Has(a.RegistrationId) && Has(b.RegistrationId)) return Equal(a.RegistrationId, b.RegistrationId);
        return Equal(a.Name, b.Name);
    }

    /// <summary>How a party is named in a reason: its name and its strongest identifier.</summary>
    /// <param name="party">The party.</param>
    /// <returns>E.g. "Rheinkupfer GmbH (LEI 894500RHEINCU0RP0204)".</returns>
    public static string Describe(Party party)
    {
        ArgumentNullException.ThrowIfNull(party);
        return Has(party.Lei) ? $"{party.Name} (LEI {party.Lei})"
            : Has(party.RegistrationId) ? $"{party.Name} (registration {party.RegistrationId})"
            : party.Name;
    }

    private static bool Has(string? value) => !string.IsNullOrWhiteSpace(value);

    private static bool Equal(string? a, string? b) => IdentifierNormalizer.Normalize(a) == IdentifierNormalizer.Normalize(b);
}
