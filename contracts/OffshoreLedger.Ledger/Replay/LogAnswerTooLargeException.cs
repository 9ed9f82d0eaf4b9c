namespace OffshoreLedger.Ledger.Replay;

/// <summary>An <c>eth_getLogs</c> answer ran past the bytes its caller would read (<see cref="LogWindow.MaxAnswerBytes"/>).</summary>
public sealed class LogAnswerTooLargeException(int limit) : Exception($"The eth_getLogs answer ran past {limit:N0} bytes.");
