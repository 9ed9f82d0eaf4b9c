namespace OffshoreLedger.Node.Outbox;

/// <summary>Where a write stands: each step is stored before the next begins, so a crash resumes it.</summary>
public enum OutboxState
{
    /// <summary>Intent recorded; not signed yet.</summary>
    Accepted,
    /// <summary>Nonce assigned and transaction signed (stored before it is ever sent).</summary>
    Signed,
    /// <summary>Sent to the chain; waiting for its receipt.</summary>
    Sent,
    /// <summary>Mined and applied by the index.</summary>
    Confirmed,
    /// <summary>The contract refused it (simulated or mined with status 0).</summary>
    Refused,
}

/// <summary>
/// One durable write intent: the contract call to make, and as it progresses its nonce, the signed
/// transaction, its hash and its block. Resending a signed entry resends the very same transaction, so a
/// crash between send and receipt can never produce a second transaction.
/// </summary>
public sealed record OutboxEntry
{
    public ulong Sequence { get; init; }
    public required string RequestId { get; init; }
    /// <summary>The RPC that asked for it, e.g. <c>Pledge</c>.</summary>
    public required string Operation { get; init; }
    /// <summary>The ABI-encoded call (0x-hex); also what makes a retried request id the same request.</summary>
    public required string CallData { get; init; }
    public OutboxState State { get; init; } = OutboxState.Accepted;
    public ulong? Nonce { get; init; }
    public string? SignedTransaction { get; init; }
    public string? TransactionHash { get; init; }
    public ulong? BlockNumber { get; init; }
    /// <summary>
    /// The least gas the call may need whatever state it meets when mined (a pledge simulated while blocked takes the
    /// longer path once mined after a release); the signed limit is never below it. Null for writes without such a bound.
    /// </summary>
    public ulong? GasFloor { get; init; }
    /// <summary>
    /// The signed transaction's gas limit, and its fees: the fee cap (legacy: the gas price) and, for EIP-1559, the priority fee.
    /// </summary>
    public ulong? GasLimit { get; init; }
    public ulong? FeeCap { get; init; }
    public ulong? PriorityFee { get; init; }
    /// <summary>When the current signed bytes were first sent: a transaction long in the pool is replaced with a higher fee.</summary>
    public DateTimeOffset? SentAt { get; init; }
    /// <summary>
    /// Hashes of earlier transactions under the same nonce that a higher-fee replacement superseded. At most one
    /// transaction of a nonce can ever be mined, so the write still lands once; its receipt may come under any of them.
    /// </summary>
    public List<string>? ReplacedTransactionHashes { get; init; }
    public string? RefusalName { get; init; }
    public Dictionary<string, string>? RefusalArguments { get; init; }
    public DateTimeOffset AcceptedAt { get; init; }
    /// <summary>The name of the credentials (API key) whose call caused this write; an anchor names the callers of its batch.</summary>
    public string? SubmittedBy { get; init; }

    /// <summary>Failed attempts since the entry was accepted or last retried (the chain answering with an error, not an outage).</summary>
    public int Attempts { get; init; }
    /// <summary>Not tried again before this time (back-off after a failed attempt).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
    public string? LastFailure { get; init; }
    /// <summary>
    /// Set when the entry used up its attempts: it leaves the line (so it holds up nothing) and waits for an operator to
    /// retry it. It keeps its state, nonce and signed bytes, so a retry resends the same transaction, never a second one.
    /// </summary>
    public DateTimeOffset? DeadLetteredAt { get; init; }

    public bool IsFinished => State is OutboxState.Confirmed or OutboxState.Refused;

    /// <summary>In line for the sender: neither finished nor dead-lettered.</summary>
    public bool IsPending => !IsFinished && DeadLetteredAt is null;
}
