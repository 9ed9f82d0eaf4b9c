using System.Numerics;
using System.Text;
using Nethereum.Util;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Consent;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Contracts.Tests;

/// <summary>A participant: a development account and the contract as that account signs it.</summary>
public sealed record Actor(string Name, string Address, string PrivateKey, LedgerContract Ledger, MemberRoles Roles)
{
    public override string ToString() => Name;
}

/// <summary>
/// A freshly deployed consortium on the shared chain: three admins (2-of-3), two banks, a port, two traders,
/// a carrier, an auditor, and an outsider who is no member.
/// </summary>
public sealed class TestConsortium
{
    public const uint Threshold = 2;

    private TestConsortium(AnvilChain chain, LedgerContract deployer, ulong deploymentBlock)
    {
        Chain = chain;
        DeploymentBlock = deploymentBlock;
        Actor Make(string name, int account, MemberRoles roles) =>
            new(name, chain.Accounts[account].Address, chain.Accounts[account].PrivateKey, deployer.As(chain.Web3For(account)), roles);
        Admin1 = Make("admin1", 0, MemberRoles.None);
        Admin2 = Make("admin2", 1, MemberRoles.None);
        Admin3 = Make("admin3", 2, MemberRoles.None);
        BankA = Make("bankA", 3, MemberRoles.Bank);
        BankB = Make("bankB", 4, MemberRoles.Bank);
        Port = Make("port", 5, MemberRoles.Port);
        Trader = Make("trader", 6, MemberRoles.Trader);
        Trader2 = Make("trader2", 7, MemberRoles.Trader);
        Carrier = Make("carrier", 8, MemberRoles.Carrier);
        Auditor = Make("auditor", 9, MemberRoles.Auditor);
        Outsider = Make("outsider", 10, MemberRoles.None);
        Spare = Make("spare", 11, MemberRoles.None);
    }

    public AnvilChain Chain { get; }
    public ulong DeploymentBlock { get; }
    public Actor Admin1 { get; }
    public Actor Admin2 { get; }
    public Actor Admin3 { get; }
    public Actor BankA { get; }
    public Actor BankB { get; }
    public Actor Port { get; }
    public Actor Trader { get; }
    public Actor Trader2 { get; }
    public Actor Carrier { get; }
    public Actor Auditor { get; }
    public Actor Outsider { get; }
    public Actor Spare { get; }

    public IReadOnlyList<Actor> Members => [BankA, BankB, Port, Trader, Trader2, Carrier, Auditor];
    public IReadOnlyList<Actor> Admins => [Admin1, Admin2, Admin3];
    public LedgerContract Ledger => Admin1.Ledger;

    public static async Task<TestConsortium> CreateAsync(AnvilChain chain, bool enrolMembers = true)
    {
        var admins = chain.Accounts.Take(3).Select(a => a.Address).ToList();
        var (deployed, receipt) = await LedgerContract.DeployAsync(chain.Web3For(0), admins, Threshold);
        var consortium = new TestConsortium(chain, deployed, (ulong)receipt.BlockNumber.Value);
        ByContract[deployed.Address] = consortium;
        if (enrolMembers)
        {
            foreach (var member in consortium.Members) await consortium.EnrolAsync(member, member.Roles);
            await consortium.BindAsync(
                new ProposeCarrierCodeFunction { Code = LedgerCode.ToBytes(CarrierCode), Carrier = consortium.Carrier.Address });
            await consortium.BindAsync(
                new ProposePortCodeFunction { Locode = LedgerCode.ToBytes(PortOfLoading), Port = consortium.Port.Address });
        }
        return consortium;
    }

    /// <summary>
    /// The consortium <see cref="CreateAsync"/> deployed at <paramref name="contractAddress"/>, seen again after the chain was
    /// reverted to just after it (<see cref="ChainFixture.FreshConsortiumAsync"/>): new signers, so no nonce is remembered
    /// from before the revert.
    /// </summary>
    public static TestConsortium Attach(AnvilChain chain, string contractAddress, ulong deploymentBlock)
    {
        var consortium = new TestConsortium(chain, new LedgerContract(chain.Web3For(0), contractAddress), deploymentBlock);
        ByContract[contractAddress] = consortium;
        return consortium;
    }

    /// <summary>Enrols through governance: admin1 proposes, admin2 approves (2 of 3).</summary>
    public async Task EnrolAsync(Actor member, MemberRoles roles)
    {
        var receipt = await Admin1.Ledger.SendAsync(new ProposeEnrolmentFunction
        {
            Member = member.Address, Roles = (byte)roles, Name = OrganisationName(member.Name),
        });
        await Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = ProposalIdOf(receipt) });
    }

    /// <summary>Proposals <see cref="CreateAsync"/> runs: one enrolment per member, then the carrier and the port bindings.</summary>
    public const ulong SetupProposals = 9;

    /// <summary>The carrier code bound to <see cref="Carrier"/> and the UN/LOCODE bound to <see cref="Port"/>.</summary>
    public const string CarrierCode = "CARR";
    public const string PortOfLoading = "SGSIN";

    /// <summary>Runs a governance proposal through: admin1 proposes, admin2 approves (2 of 3).</summary>
    public async Task BindAsync<TProposal>(TProposal proposal) where TProposal : Nethereum.Contracts.FunctionMessage, new()
    {
        var receipt = await Admin1.Ledger.SendAsync(proposal);
        await Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = ProposalIdOf(receipt) });
    }

    /// <summary>
    /// Runs a time-locked correction through: admin1 proposes, admin2 approves (2 of 3), the delay passes, admin3
    /// executes. Returns the execution's receipt.
    /// </summary>
    public async Task<Nethereum.RPC.Eth.DTOs.TransactionReceipt> CorrectAsync<TProposal>(TProposal proposal)
        where TProposal : Nethereum.Contracts.FunctionMessage, new()
    {
        var id = ProposalIdOf(await Admin1.Ledger.SendAsync(proposal));
        await Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = id });
        await Chain.IncreaseTimeAsync(TimeSpan.FromHours(49));
        return await Admin3.Ledger.SendAsync(new ExecuteProposalFunction { ProposalId = id });
    }

    public async Task RemoveAsync(Actor member)
    {
        var receipt = await Admin1.Ledger.SendAsync(new ProposeRemovalFunction { Member = member.Address });
        await Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = ProposalIdOf(receipt) });
    }

    public static ulong ProposalIdOf(Nethereum.RPC.Eth.DTOs.TransactionReceipt receipt) =>
        LedgerEvents.Decode(receipt).Select(e => e.Event).OfType<ProposalCreatedEvent>().Single().ProposalId;

    public async Task<ulong> ChainTimeAsync()
    {
        var block = await Ledger.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(
            Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest());
        return (ulong)block.Timestamp.Value;
    }

    // ---- test data: keys are opaque 32-byte values on chain; tests derive them from labels ----

    public static byte[] Key(string label) => Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes("key:" + label));

    public static byte[] Lot(string label) => Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes("lot:" + label));

    /// <summary>The display name a test member is enrolled under.</summary>
    public static string OrganisationName(string name) => "org:" + name;

    /// <summary>Its organisation id: keccak-256 of the display name.</summary>
    public static byte[] Organisation(string name) => Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(OrganisationName(name)));

    public static byte[] Unit(string code)
    {
        var unit = new byte[8];
        Encoding.ASCII.GetBytes(code).CopyTo(unit, 0);
        return unit;
    }

    public static readonly byte[] MetricTonnes = Unit("TNE");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TestConsortium> ByContract = new(
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Issues a title the way the tests before issue 14 registered one: a TRADER or CARRIER "registrar" stands for the
    /// bound carrier (which issues it), and a lot no port attested yet is first attested by the port with room to spare
    /// (2^48). Tests of who may issue, and of lots, call the contract directly (see <c>IssuanceAttackTests</c>).
    /// </summary>
    public static async Task<ulong> RegisterAsync(Actor registrar, Actor holder, string lot, ulong quantity, params string[] keys)
    {
        if (ByContract.TryGetValue(registrar.Ledger.Address, out var c))
        {
            if (registrar.Roles.HasFlag(MemberRoles.Trader)) registrar = c.Carrier;
            var existing = await c.LotAsync(lot);
            if (!existing.Attested && existing.LiveQuantity == 0) await AttestAsync(c.Port, lot, 1UL << 48, await c.ChainTimeAsync() - 60);
        }
        var receipt = await registrar.Ledger.SendAsync(
            RegisterTitleFunction.OneLot("CARR", Lot(lot), holder.Address, quantity, MetricTonnes, [.. keys.Select(Key)]));
        return LedgerEvents.Decode(receipt).Select(e => e.Event).OfType<TitleRegisteredEvent>().Single().TitleId;
    }

    public IReadOnlyList<Actor> Everyone =>
        [Admin1, Admin2, Admin3, BankA, BankB, Port, Trader, Trader2, Carrier, Auditor, Outsider, Spare];

    public Actor ActorAt(string address) => Everyone.Single(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase));

    public ConsentDomain Domain => new(Chain.ChainId, Ledger.Address);

    /// <summary>
    /// Pledges as <paramref name="bank"/> with the consent of <paramref name="borrower"/> (by default the holder of the
    /// first title, or of the first key's title, else the trader); returns the granted pledge id, or the blocked attempt.
    /// </summary>
    public async Task<PledgeOutcome> PledgeAsync(Actor bank, ulong[] titleIds, string[] keys, TimeSpan? term = null, Actor? borrower = null)
    {
        var expiry = await ChainTimeAsync() + (ulong)(term ?? TimeSpan.FromDays(90)).TotalSeconds;
        var message = await ConsentedPledgeAsync(
            bank, titleIds, [.. keys.Select(Key)], expiry, borrower ?? await BorrowerOfAsync(titleIds, keys));
        var receipt = await bank.Ledger.SendAsync(message);
        var events = LedgerEvents.Decode(receipt).Select(e => e.Event).ToList();
        return new PledgeOutcome(
            events.OfType<PledgedEvent>().SingleOrDefault()?.PledgeId ?? 0,
            events.OfType<PledgeBlockedEvent>().SingleOrDefault(),
            expiry);
    }

    /// <summary>A pledge message carrying <paramref name="borrower"/>'s consent to exactly it, at its next nonce.</summary>
    public async Task<PledgeFunction> ConsentedPledgeAsync(
        Actor bank, ulong[] titleIds, IReadOnlyList<byte[]> keys, ulong expiry, Actor borrower, byte[]? financingReference = null)
    {
        var reference = financingReference ?? Key("loan:" + bank.Name + ":" + Guid.NewGuid());
        var terms = new PledgeConsentTerms(
            bank.Address, titleIds, keys, reference, expiry, await NonceOfAsync(borrower), await ChainTimeAsync() + 3_600);
        return new PledgeFunction
        {
            FinancingReference = reference, Expiry = expiry, TitleIds = [.. titleIds], Keys = [.. keys],
            Consent = PledgeConsent.Argument(terms, PledgeConsent.Sign(PledgeConsent.Digest(terms, Domain), borrower.PrivateKey)),
        };
    }

    public async Task<ulong> NonceOfAsync(Actor member) =>
        await Ledger.QueryValueAsync<ConsentNonceFunction, ulong>(new() { Member = member.Address });

    /// <summary>The actor who must consent: the holder of the first title named (directly or through a key), else the trader.</summary>
    public async Task<Actor> BorrowerOfAsync(ulong[] titleIds, string[] keys)
    {
        foreach (var titleId in titleIds)
        {
            var title = await TitleAsync(titleId);
            if (title.Status != 0) return ActorAt(title.Holder);
        }
        foreach (var key in keys)
        {
            var state = await KeyStateAsync(key);
            if (state.TitleId != 0) return ActorAt((await TitleAsync(state.TitleId)).Holder);
        }
        return Trader;
    }

    public static async Task AttestAsync(Actor port, string lot, ulong quantity, ulong loadedAt) =>
        await port.Ledger.SendAsync(new AttestLoadingFunction
        {
            LotKey = Lot(lot), Locode = LedgerCode.ToBytes(PortOfLoading), Quantity = quantity, Unit = MetricTonnes, LoadedAt = loadedAt,
            DocumentHash = Key("attestation:" + lot),
        });

    public async Task<TitleOutput> TitleAsync(ulong titleId) =>
        await Ledger.QueryAsync<TitleOfFunction, TitleOutput>(new() { TitleId = titleId });

    public async Task<KeyStateOutput> KeyStateAsync(string key) =>
        await Ledger.QueryAsync<KeyStateFunction, KeyStateOutput>(new() { Key = Key(key) });

    public async Task<LotOutput> LotAsync(string lot) =>
        await Ledger.QueryAsync<LotOfFunction, LotOutput>(new() { LotKey = Lot(lot) });
}

/// <summary>What a pledge transaction did: granted with an id, or blocked by an existing pledge.</summary>
public sealed record PledgeOutcome(ulong PledgeId, PledgeBlockedEvent? Blocked, ulong Expiry)
{
    public bool Granted => PledgeId != 0;
}

public static class Refusal
{
    /// <summary>Asserts the call is refused with the named custom error and returns the decoded error.</summary>
    public static async Task<LedgerError> ExpectAsync(string errorName, Func<Task> call)
    {
        var refusal = await Assert.ThrowsAsync<LedgerRevertException>(call);
        Assert.Equal(errorName, refusal.Error.Name);
        return refusal.Error;
    }

    public static BigInteger AsInteger(this LedgerError error, string argument) => (BigInteger)error.Arguments[argument]!;
}
