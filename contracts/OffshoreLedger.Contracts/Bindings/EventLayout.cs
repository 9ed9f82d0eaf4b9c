using System.Buffers.Binary;
using System.Reflection;
using Nethereum.ABI.FunctionEncoding.Attributes;

namespace OffshoreLedger.Contracts.Bindings;

/// <summary>
/// Decodes one event type's topics and data by the same <c>[Parameter]</c> attributes Nethereum reads, for just the
/// ABI types the contract's events use. Nethereum's general decoder costs ~170 µs a log, more than the chain takes to
/// serve one; this one a few µs, which is what lets the audit replay keep up with <c>eth_getLogs</c>. A test
/// decodes every event type both ways and compares.
/// </summary>
internal sealed class EventLayout
{
    private const int Slot = 32;
    private readonly Func<IEventDTO> _create;
    private readonly Field[] _indexed;
    private readonly Field[] _data;

    private EventLayout(Func<IEventDTO> create, Field[] indexed, Field[] data)
    {
        _create = create;
        _indexed = indexed;
        _data = data;
    }

    public static EventLayout For<TEvent>() where TEvent : IEventDTO, new()
    {
        var fields = typeof(TEvent).GetProperties()
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<ParameterAttribute>()))
            .Where(f => f.Attribute is not null)
            .OrderBy(f => f.Attribute!.Parameter.Order)
            .Select(f => new Field(f.Attribute!.Parameter.Type, f.Attribute.Parameter.Indexed, f.Property))
            .ToList();
        foreach (var field in fields) field.CheckSupported(typeof(TEvent));
        return new EventLayout(() => new TEvent(), [.. fields.Where(f => f.Indexed)], [.. fields.Where(f => !f.Indexed)]);
    }

    public IEventDTO Decode(byte[][] topics, byte[] data)
    {
        if (topics.Length != _indexed.Length + 1) throw new FormatException($"Expected {_indexed.Length + 1} topics, got {topics.Length}.");
        if (data.Length < _data.Length * Slot) throw new FormatException($"Expected at least {_data.Length * Slot} bytes of data, got {data.Length}.");
        var decoded = _create();
        for (var i = 0; i < _indexed.Length; i++) _indexed[i].Set(decoded, topics[i + 1], data);
        for (var i = 0; i < _data.Length; i++) _data[i].Set(decoded, data.AsSpan(i * Slot, Slot).ToArray(), data);
        return decoded;
    }

    /// <summary>One parameter: where its word is, and how a word (or, for arrays, the data it points into) becomes the property's value.</summary>
    private sealed record Field(string AbiType, bool Indexed, PropertyInfo Property)
    {
        public void CheckSupported(Type eventType)
        {
            var supported = AbiType switch
            {
                "address" => Property.PropertyType == typeof(string),
                "bytes32[]" => Property.PropertyType == typeof(List<byte[]>),
                "uint64[]" => Property.PropertyType == typeof(List<ulong>),
                _ when AbiType.StartsWith("uint", StringComparison.Ordinal) => Property.PropertyType == typeof(byte) || Property.PropertyType == typeof(uint) || Property.PropertyType == typeof(ulong),
                _ when AbiType.StartsWith("bytes", StringComparison.Ordinal) => Property.PropertyType == typeof(byte[]),
                _ => false,
            };
            if (!supported || (Indexed && AbiType.EndsWith("[]", StringComparison.Ordinal)))
            {
                throw new NotSupportedException($"{eventType.Name}.{Property.Name}: ABI type {AbiType} as {Property.PropertyType.Name} is not decoded here; extend EventLayout.");
            }
        }

        public void Set(object target, byte[] word, byte[] data) => Property.SetValue(target, AbiType switch
        {
            "address" => Replay.Hex.Of(word[12..]),
            "bytes32[]" => Array(word, data, (d, at) => d.AsSpan(at, Slot).ToArray()),
            "uint64[]" => Array(word, data, (d, at) => Unsigned(d.AsSpan(at, Slot))),
            _ when AbiType.StartsWith("uint", StringComparison.Ordinal) => Convert.ChangeType(Unsigned(word), Property.PropertyType, System.Globalization.CultureInfo.InvariantCulture),
            _ => word[..int.Parse(AbiType.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture)],
        });

        /// <summary>A dynamic array: the word is its offset in the data, where its length and then its elements are.</summary>
        private static List<T> Array<T>(byte[] word, byte[] data, Func<byte[], int, T> element)
        {
            var offset = checked((int)Unsigned(word));
            var length = checked((int)Unsigned(data.AsSpan(offset, Slot)));
            if ((long)offset + Slot + (long)length * Slot > data.Length) throw new FormatException("An array runs past the end of the data.");
            var list = new List<T>(length);
            for (var i = 0; i < length; i++) list.Add(element(data, offset + Slot + i * Slot));
            return list;
        }

        private static ulong Unsigned(ReadOnlySpan<byte> word)
        {
            if (word[..24].IndexOfAnyExcept((byte)0) >= 0) throw new FormatException("An integer does not fit in 64 bits.");
            return BinaryPrimitives.ReadUInt64BigEndian(word[24..]);
        }
    }
}
