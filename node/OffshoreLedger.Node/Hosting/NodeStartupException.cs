namespace OffshoreLedger.Node.Hosting;

/// <summary>
/// The node's configuration cannot be served safely or at all; the message names the setting to change. The program
/// prints it and exits non-zero instead of starting.
/// </summary>
public sealed class NodeStartupException(string message) : Exception(message);
