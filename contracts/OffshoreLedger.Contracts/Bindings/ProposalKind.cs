namespace OffshoreLedger.Contracts.Bindings;

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
