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
