using System.Text;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;

namespace OffshoreLedger.Node.Devnet;

/// <summary>A development member to enrol: who it is in the trade, which organisation, and its roles.</summary>
/// <param name="Name">A short readable label, e.g. <c>bank A</c>.</param>
/// <param name="OrganisationName">The organisation's display name, recorded on chain; its keccak-256 is the organisation id.</param>
/// <param name="Roles">The consortium roles to grant.</param>
/// <param name="Codes">Carrier codes (for a CARRIER) or UN/LOCODEs (for a PORT) governance binds to it.</param>
/// <param name="Lei">Its ISO 17442 LEI, or empty. The development members' are fictional (well-formed, issued to no one).</param>
public sealed record DevMemberPlan(
    string Name, string OrganisationName, MemberRoles Roles, IReadOnlyList<string>? Codes = null, string Lei = "");

/// <summary>A development participant as deployed: an admin or an enrolled member on its own anvil account.</summary>
/// <param name="Name">The readable label it was planned under.</param>
/// <param name="Address">Its development account's checksummed address (public anvil key; development only).</param>
/// <param name="Roles">Its consortium roles; <see cref="MemberRoles.None"/> for an admin.</param>
/// <param name="Account">The index of its development account in <see cref="AnvilChain.Accounts"/>.</param>
/// <param name="Organisation">keccak-256 of the organisation name; empty for admins, which are not members.</param>
public sealed record DevParticipant(string Name, string Address, MemberRoles Roles, int Account, byte[] Organisation)
{
    /// <summary>The organisation's display name as enrolled (empty for admins).</summary>
    public string OrganisationName { get; init; } = "";

    /// <summary>Its LEI as enrolled, or empty.</summary>
    public string Lei { get; init; } = "";

    /// <summary>The roles as the trade names them, e.g. <c>Bank</c>, or <c>admin</c> for a governance key.</summary>
    public string RoleName => Roles == MemberRoles.None ? "admin" : Roles.ToString();
}

/// <summary>
/// A consortium deployed on a development chain: three admins (development accounts 0–2) governing 2-of-3,
/// and members enrolled through that governance (one admin proposes, another approves), each on the next
/// development account, exactly as a production consortium would enrol them.
/// </summary>
/// <remarks>
/// It does not own the chain: the caller disposes the <see cref="AnvilChain"/>, which also stops on process
/// exit, so a cancelled or interrupted deployment never leaves anvil running.
/// </remarks>
public sealed class DevConsortium
{
    public const uint Threshold = 2;
    public const int AdminCount = 3;

    /// <summary>The members a development node starts with: one per trade role, banks twice (double financing needs two).</summary>
    public static IReadOnlyList<DevMemberPlan> StandardMembers { get; } =
    [
        new("bank A", "Devnet Bank A", MemberRoles.Bank, Lei: LegalEntityIdentifier.WithCheckDigits("DEVNETBANKA0000000")),
        new("bank B", "Devnet Bank B", MemberRoles.Bank, Lei: LegalEntityIdentifier.WithCheckDigits("DEVNETBANKB0000000")),
        new("port", "Devnet Port Authority", MemberRoles.Port, ["MYPKG", "SGSIN"],
            LegalEntityIdentifier.WithCheckDigits("DEVNETPORT00000000")),
        new("trader", "Devnet Trading Co", MemberRoles.Trader, Lei: LegalEntityIdentifier.WithCheckDigits("DEVNETTRADER000000")),
        new("carrier", "Devnet Shipping Line", MemberRoles.Carrier, ["SELM", "MAEU", "HLCU", "CARR"],
            LegalEntityIdentifier.WithCheckDigits("DEVNETCARRIER00000")),
        new("auditor", "Devnet Audit Office", MemberRoles.Auditor, Lei: LegalEntityIdentifier.WithCheckDigits("DEVNETAUDITOR00000")),
    ];

    private readonly IDevChain _chain;

    private DevConsortium(
        IDevChain chain, string address, ulong deploymentBlock, IReadOnlyList<DevParticipant> admins, IReadOnlyList<DevParticipant> members)
    {
        _chain = chain;
        ContractAddress = address;
        DeploymentBlock = deploymentBlock;
        Admins = admins;
        Members = members;
    }

    public string ContractAddress { get; }
    public ulong DeploymentBlock { get; }
    public IReadOnlyList<DevParticipant> Admins { get; }
    public IReadOnlyList<DevParticipant> Members { get; }

    /// <summary>The member labelled <paramref name="name"/>, e.g. <c>bank A</c>.</summary>
    public DevParticipant Member(string name) =>
        Members.SingleOrDefault(m => m.Name == name) ?? throw new KeyNotFoundException($"No development member named '{name}'.");

    /// <summary>The contract as <paramref name="participant"/> signs it.</summary>
    public LedgerContract LedgerAs(DevParticipant participant) => new(_chain.Web3For(participant.Account), ContractAddress);

    /// <summary>The organisation id of a readable organisation name: its keccak-256.</summary>
    public static byte[] OrganisationId(string organisationName) =>
        Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(organisationName));

    /// <summary>
    /// Deploys the contract and enrols <paramref name="members"/> (default: <see cref="StandardMembers"/>) through governance.
    /// </summary>
    public static async Task<DevConsortium> DeployAsync(
        IDevChain chain, IReadOnlyList<DevMemberPlan>? members = null, CancellationToken cancellationToken = default)
    {
        members ??= StandardMembers;
        if (AdminCount + members.Count > chain.Accounts.Count)
        {
            throw new ArgumentException(
                $"{AdminCount} admins and {members.Count} members need {AdminCount + members.Count} development accounts; the chain has " +
                    $"{chain.Accounts.Count}.",
                nameof(members));
        }

        var admins = Enumerable.Range(0, AdminCount)
            .Select(i => new DevParticipant($"admin {i + 1}", chain.Accounts[i].Address, MemberRoles.None, i, []))
            .ToList();
        var (proposer, receipt) = await LedgerContract.DeployAsync(
            chain.Web3For(0), [.. admins.Select(a => a.Address)], Threshold, cancellationToken);
        var approver = proposer.As(chain.Web3For(1));

        var enrolled = new List<DevParticipant>(members.Count);
        foreach (var (plan, i) in members.Select((plan, i) => (plan, i)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var account = AdminCount + i;
            var member = new DevParticipant(
                plan.Name, chain.Accounts[account].Address, plan.Roles, account, OrganisationId(plan.OrganisationName))
            {
                OrganisationName = plan.OrganisationName, Lei = plan.Lei,
            };
            await EnrolAsync(proposer, approver, member, cancellationToken);
            foreach (var code in plan.Codes ?? [])
            {
                // Titles are issued by the carrier bound to the B/L's carrier code; lots by the port bound to the port of loading.
                var bound = plan.Roles.HasFlag(MemberRoles.Carrier)
                    ? await proposer.SendAsync(
                        new ProposeCarrierCodeFunction { Code = LedgerCode.ToBytes(code), Carrier = member.Address }, cancellationToken)
                    : await proposer.SendAsync(
                        new ProposePortCodeFunction { Locode = LedgerCode.ToBytes(code), Port = member.Address }, cancellationToken);
                await approver.SendAsync(new ApproveFunction { ProposalId = ProposalIdOf(bound) }, cancellationToken);
            }
            enrolled.Add(member);
        }
        var address = AddressUtil.Current.ConvertToChecksumAddress(proposer.Address);
        return new DevConsortium(chain, address, (ulong)receipt.BlockNumber.Value, admins, enrolled);
    }

    /// <summary>No single key enrols anyone: admin 1 proposes, admin 2's approval reaches the threshold and executes it.</summary>
    private static async Task EnrolAsync(
        LedgerContract proposer, LedgerContract approver, DevParticipant member, CancellationToken cancellationToken)
    {
        var proposed = await proposer.SendAsync(
            new ProposeEnrolmentFunction { Member = member.Address, Roles = (byte)member.Roles, Name = member.OrganisationName,
                Lei = member.Lei },
            cancellationToken);
        var approved = await approver.SendAsync(new ApproveFunction { ProposalId = ProposalIdOf(proposed) }, cancellationToken);
        if (!LedgerEvents.Decode(approved).Any(e => e.Event is MemberEnrolledEvent))
        {
            throw new InvalidOperationException(
                $"Approving the enrolment of {member.Name} did not enrol it; is the threshold above {Threshold}?");
        }
    }

    private static ulong ProposalIdOf(TransactionReceipt receipt) =>
        LedgerEvents.Decode(receipt).Select(e => e.Event).OfType<ProposalCreatedEvent>().Single().ProposalId;
}
