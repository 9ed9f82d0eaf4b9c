namespace OffshoreLedger.Contracts.Bindings;

/// <summary>Consortium roles, as the bit flags of <c>Roles.sol</c>; a member may hold several.</summary>
[Flags]
public enum MemberRoles : byte
{
    None = 0,
    Bank = 1,
    Port = 2,
    Trader = 4,
    Carrier = 8,
    Auditor = 16,
}

/// <summary>A title's life cycle, as <c>CollateralLedger.TitleStatus</c>.</summary>
public enum TitleStatus : byte
{
    None = 0,
    Live = 1,
    Surrendered = 2,
    /// <summary>Voided by a governed correction: its keys are free again.</summary>
    Voided = 3,
}

/// <summary>What a governance proposal does, as <c>Consortium.ProposalKind</c>.</summary>
public enum ProposalKind : byte
{
    None = 0,
    EnrolMember = 1,
    UpdateMember = 2,
    RemoveMember = 3,
    AddAdmin = 4,
    RemoveAdmin = 5,
    SetThreshold = 6,
    SetMaxPledgeTerm = 7,
    SetContestPeriod = 8,
    RotateKey = 9,
    BindCarrierCode = 10,
    BindPortCode = 11,
    CorrectAttestation = 12,
    ClearOverIssue = 13,
    VoidTitle = 14,
    ReenrolMember = 15,
}
