namespace OffshoreLedger.Node.Chain;

/// <summary>The endpoint answers, but for another chain than the one this node's writes are signed for: nothing is sent to it.</summary>
public sealed class WrongChainException(string message) : Exception(message);
