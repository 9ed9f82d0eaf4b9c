namespace OffshoreLedger.Cli;

/// <summary>The process exit codes: stable, documented in <c>offshore --help</c>.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything not covered below (an unexpected failure, a cancelled call, a title or proof not found).</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments, an unreadable or invalid document file, or a request the node rejected field by field.</summary>
    public const int InvalidInput = 2;

    /// <summary>The ledger refused on its rules: already pledged, key already live or burned, lot over-issued.</summary>
    public const int Refused = 3;

    /// <summary>The node could not be reached or did not answer in time (after retries).</summary>
    public const int NodeUnreachable = 4;

    /// <summary>No or an unknown API key, a key without the scope, or a member without the role.</summary>
    public const int NotAuthorised = 5;

    /// <summary>
    /// A verification failed: a trade verification's verdict is FAIL (some check is contradicted), or an audit's state
    /// rebuilt from logs differs from the contract's view functions (the report lists each mismatch).
    /// </summary>
    public const int VerificationFailed = 6;

    public const string HelpText = """
        Exit codes:
          0  ok
          1  anything else (unexpected failure, cancelled, not found)
          2  invalid input: bad arguments, unreadable or invalid document file, or fields the node rejected
          3  refused by the ledger: already pledged (pledgee and expiry printed), key live or burned, lot over-issued
          4  node unreachable
          5  not authorised: API key missing, unknown or lacking scope; member lacking the role
          6  verification failed: trade verdict FAIL (bank verify-trade), or state check mismatches (auditor replay)
        """;
}
