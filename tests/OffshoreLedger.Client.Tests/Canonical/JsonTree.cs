using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace OffshoreLedger.Client.Tests.Canonical;

/// <summary>A JSON value the property tests generate, render in many spellings, and mutate.</summary>
internal abstract record JsonTree
{
    private static readonly string[] Spaces = ["", " ", "  ", "\n", "\t", "\r\n "];

    public static Gen<JsonTree> Gen(int depth)
    {
        var text = CsCheck.Gen.OneOf(
            CsCheck.Gen.String[CsCheck.Gen.Char['\0', '\u00ff'], 0, 6],
            CsCheck.Gen.String[CsCheck.Gen.Char['\u0100', '\ud7ff'], 0, 3],
            CsCheck.Gen.OneOf("", "😀", "a\"b\\c", "\u2028", "€$"));
        var leaf = CsCheck.Gen.OneOf<JsonTree>(
            text.Select(s => (JsonTree)new Text(s)),
            CsCheck.Gen.Double.Where(double.IsFinite).Select(d => (JsonTree)new Number(d)),
            CsCheck.Gen.Long[-1_000_000_000_000, 1_000_000_000_000].Select(l => (JsonTree)new Number(l)),
            CsCheck.Gen.Bool.Select(b => (JsonTree)new Literal(b ? "true" : "false")),
            CsCheck.Gen.Const((JsonTree)new Literal("null")));
        if (depth == 0)
        {
            return leaf;
        }

        var child = Gen(depth - 1);
        var key = CsCheck.Gen.OneOf(
            CsCheck.Gen.String[CsCheck.Gen.Char["abcAB_é€\u0080\r1"], 0, 4], CsCheck.Gen.OneOf("😀", "\ufb33"));
        var array = child.Array[0, 4].Select(items => (JsonTree)new Array(items));
        var obj = CsCheck.Gen.Select(key, child).Array[0, 4]
            .Select(members => (JsonTree)new Object([.. members.DistinctBy(m => m.Item1)]));
        return CsCheck.Gen.Frequency<JsonTree>((3, leaf), (1, array), (1, obj));
    }

    public static JsonTree From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new Object([.. element.EnumerateObject().Select(p => (p.Name, From(p.Value)))]),
        JsonValueKind.Array => new Array([.. element.EnumerateArray().Select(From)]),
        JsonValueKind.String => new Text(element.GetString()!),
        JsonValueKind.Number => new Number(element.GetDouble()),
        _ => new Literal(element.GetRawText()),
    };

    /// <summary>Writes the value with random whitespace, member order, escapes and number spellings.</summary>
    public string Render(int seed)
    {
        var builder = new StringBuilder();
        Render(builder, new Random(seed));
        return builder.ToString();
    }

    public int LeafCount => this switch
    {
        Object o => o.Members.Sum(m => m.Value.LeafCount),
        Array a => a.Items.Sum(i => i.LeafCount),
        _ => 1,
    };

    /// <summary>The same tree with leaf number <paramref name="index"/> changed to a different value.</summary>
    public JsonTree MutateLeaf(int index)
    {
        var remaining = index;
        return Mutate(ref remaining);
    }

    private JsonTree Mutate(ref int remaining)
    {
        switch (this)
        {
            case Object o:
                var members = new List<(string, JsonTree)>();
                foreach (var (name, value) in o.Members)
                {
                    members.Add((name, value.Mutate(ref remaining)));
                }

                return new Object(members);
            case Array a:
                var items = new List<JsonTree>();
                foreach (var item in a.Items)
                {
                    items.Add(item.Mutate(ref remaining));
                }

                return new Array(items);
            default:
                return remaining-- == 0 ? Changed() : this;
        }
    }

    private JsonTree Changed() => this switch
    {
        Text t => new Text(t.Value + "x"),
        Number { Value: 0 } => new Number(1),
        Number n when n.Value + 1 != n.Value => new Number(n.Value + 1),
        Number n => new Number(n.Value / 2),
        Literal { Token: "true" } => new Literal("false"),
        Literal { Token: "false" } => new Literal("true"),
        _ => new Number(0),
    };

    private void Render(StringBuilder output, Random random)
    {
        string Space() => Spaces[random.Next(Spaces.Length)];
        output.Append(Space());
        switch (this)
        {
            case Object o:
                output.Append('{');
                var shuffled = o.Members.OrderBy(_ => random.Next()).ToList();
                for (var i = 0; i < shuffled.Count; i++)
                {
                    output.Append(i > 0 ? "," : string.Empty).Append(Space());
                    RenderString(output, shuffled[i].Name, random);
                    output.Append(Space()).Append(':');
                    shuffled[i].Value.Render(output, random);
                }

                output.Append(Space()).Append('}');
                break;
            case Array a:
                output.Append('[');
                for (var i = 0; i < a.Items.Count; i++)
                {
                    output.Append(i > 0 ? "," : string.Empty);
                    a.Items[i].Render(output, random);
                }

                output.Append(Space()).Append(']');
                break;
            case Text t:
                RenderString(output, t.Value, random);
                break;
            case Number n:
                output.Append(SpellNumber(n.Value, random));
                break;
            case Literal l:
                output.Append(l.Token);
                break;
        }

        output.Append(Space());
    }

    private static void RenderString(StringBuilder output, string value, Random random)
    {
        output.Append('"');
        var escapeLowSurrogate = false;
        foreach (var c in value)
        {
            // Both halves of a surrogate pair are escaped, or neither: a lone half is not JSON text.
            var escape = char.IsLowSurrogate(c) ? escapeLowSurrogate : c is '"' or '\\' || c < ' ' || random.Next(4) == 0;
            escapeLowSurrogate = char.IsHighSurrogate(c) && escape;
            if (escape)
            {
                output.Append("\\u")
                    .Append(((int)c).ToString(random.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture));
            }
            else
            {
                output.Append(c);
            }
        }

        output.Append('"');
    }

    /// <summary>
    /// Spells a double as another decimal numeral of exactly the same value: trailing zeros added to
    /// the digits, the decimal point moved, and the exponent adjusted (so 1.5 may read 15e-1 or 1.500E0).
    /// </summary>
    private static string SpellNumber(double value, Random random)
    {
        if (value == 0)
        {
            return random.Next(3) switch { 0 => "0", 1 => "0.0", _ => "0e5" };
        }

        var roundTrip = Math.Abs(value).ToString("E16", CultureInfo.InvariantCulture);
        var mantissa = roundTrip[..roundTrip.IndexOf('E', StringComparison.Ordinal)].Replace(".", string.Empty, StringComparison.Ordinal);
        var exponent = int.Parse(
            roundTrip[(roundTrip.IndexOf('E', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture) - (mantissa.Length - 1);
        if (double.Parse(mantissa + "e" + exponent, CultureInfo.InvariantCulture) != Math.Abs(value))
        {
            // 17 significant digits always read back as the same double; shortest form may have fewer.
            throw new InvalidOperationException("E16 did not round-trip.");
        }

        var digits = mantissa.TrimEnd('0');
        exponent += mantissa.Length - digits.Length;
        var zeros = random.Next(4);
        digits += new string('0', zeros);
        exponent -= zeros;
        var point = random.Next(1, digits.Length + 1);
        exponent += digits.Length - point;
        var text = point < digits.Length ? digits[..point] + "." + digits[point..] : digits;
        if (exponent != 0 || random.Next(2) == 0)
        {
            text += (random.Next(2) == 0 ? "e" : "E") + (exponent >= 0 && random.Next(2) == 0 ? "+" : string.Empty)
                + exponent.ToString(CultureInfo.InvariantCulture);
        }

        return (value < 0 ? "-" : string.Empty) + text;
    }

    internal sealed record Object(List<(string Name, JsonTree Value)> Members) : JsonTree;

    internal sealed record Array(IReadOnlyList<JsonTree> Items) : JsonTree;

    internal sealed record Text(string Value) : JsonTree;

    internal sealed record Number(double Value) : JsonTree;

    internal sealed record Literal(string Token) : JsonTree;
}
