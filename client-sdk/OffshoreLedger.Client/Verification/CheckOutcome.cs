namespace OffshoreLedger.Client.Verification;

/// <summary>How one check of a trade came out; a trade's verdict is its worst check.</summary>
public enum CheckOutcome
{
    /// <summary>The check holds, with evidence.</summary>
    Pass = 1,

    /// <summary>Not contradicted, but not proven: something it needs was not given.</summary>
    Warn = 2,

    /// <summary>The check is contradicted; the reason says by what.</summary>
    Fail = 3,
}
