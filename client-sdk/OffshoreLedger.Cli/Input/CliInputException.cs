namespace OffshoreLedger.Cli.Input;

/// <summary>Input the CLI cannot use (exit code 2): a bad option value, an unreadable file, an invalid document.</summary>
public sealed class CliInputException(string message, IReadOnlyList<FieldProblem>? problems = null) : Exception(message)
{
    /// <summary>Each field at fault, when the input was a document.</summary>
    public IReadOnlyList<FieldProblem> Problems { get; } = problems ?? [];
}

/// <summary>One field at fault and why.</summary>
public sealed record FieldProblem(string Field, string Reason);
