namespace OffshoreLedger.Contracts.Tests.Model;

/// <summary>
/// An abstract step of a random history. Indexes pick actors, keys, lots, titles and pledges from small pools,
/// so collisions (double pledges, reused keys, over-issue) happen often.
/// </summary>
public abstract record LedgerOperation;

public sealed record RegisterOp(int Actor, int Holder, int Lot, ulong Quantity, int[] Keys) : LedgerOperation
{
    public override string ToString() =>
        $"Register(actor {Actor}, holder {Holder}, lot {Lot}, qty {Quantity}, keys [{string.Join(",", Keys)}])";
}

public sealed record TransferOp(int Actor, int Title, int NewHolder) : LedgerOperation;

public sealed record SurrenderOp(int Actor, int Title) : LedgerOperation;

/// <summary>
/// A pledge whose consent <see cref="Signer"/> signs (-1: the holder of its first title, else trader 3), presented as <see cref="Use"/>
/// says.
/// </summary>
public sealed record PledgeOp(int Actor, int[] Titles, int[] Keys, PledgeTerm Term, int Signer, ConsentUse Use) : LedgerOperation
{
    public override string ToString() =>
        $"Pledge(actor {Actor}, titles [{string.Join(",", Titles)}], keys [{string.Join(",", Keys)}], {Term}, signer {Signer}, {Use})";
}

public enum PledgeTerm { Short, Month, BeyondMaximum }

/// <summary>The pledgee of an earlier pledge declares it in default, naming its first title.</summary>
public sealed record DeclareDefaultOp(int Actor, int Pledge) : LedgerOperation;

/// <summary>Someone contests the default of an earlier pledge, naming its first title.</summary>
public sealed record ContestDefaultOp(int Actor, int Pledge) : LedgerOperation;

/// <summary>Releases the units of one earlier pledge that <see cref="Mask"/> selects (all of them if it selects none).</summary>
public sealed record ReleaseOp(int Actor, int Pledge, int Mask) : LedgerOperation;

public sealed record AttestOp(int Actor, int Lot, ulong Quantity) : LedgerOperation;

/// <summary>
/// Two hours pass: short pledges expire, and (with the one-hour contest period the histories use) declared defaults become enforceable.
/// </summary>
public sealed record WaitOp : LedgerOperation;

/// <summary>
/// Issue 14: a time-locked correction of a lot's attested quantity (0 annuls it), proposed, approved, executed after the delay.
/// </summary>
public sealed record CorrectAttestationOp(int Lot, ulong Quantity) : LedgerOperation;

/// <summary>Issue 14: a time-locked clearance of a lot's over-issue mark.</summary>
public sealed record ClearOverIssueOp(int Lot) : LedgerOperation;

/// <summary>Issue 14: a time-locked void of a title (its keys free again, its quantity out of its lot, its lock ended).</summary>
public sealed record VoidTitleOp(int Title) : LedgerOperation;

/// <summary>Issue 14: a member's key rotation to a fresh account (same index: titles, locks, nonces follow).</summary>
public sealed record RotateKeyOp(int Actor) : LedgerOperation;
