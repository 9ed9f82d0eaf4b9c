namespace OffshoreLedger.Client.Verification;

/// <summary>The stable names of a trade verification's checks, in the order a verdict lists them.</summary>
public static class TradeCheckNames
{
    /// <summary>Every document given is anchored on chain, and by whom.</summary>
    public const string DocumentsAnchored = "documents_anchored";

    /// <summary>
    /// The B/L's title is registered, live, whole (every B/L key in it), what its B/L says (lots, quantities, unit, issuer:
    /// see <see cref="TitleAgainstBill"/>) and not pledged to another bank.
    /// </summary>
    public const string TitleLive = "title_live";

    /// <summary>
    /// A port member (the one bound to the B/L's port of loading) attested loading of each of the title's lots, for at least
    /// the title's quantity on it, no lot is over-issued, and the title is what its B/L says.
    /// </summary>
    public const string LoadingAttested = "loading_attested";

    /// <summary>
    /// Goods (HS subheading), quantity and unit agree across both invoices and the B/L, within tolerance, and the title on the
    /// ledger books the B/L's quantity under each heading, in its unit.
    /// </summary>
    public const string GoodsAndQuantity = "goods_and_quantity";

    /// <summary>Each settlement pays an invoice of the trade in its amount and currency, from its buyer to its seller.</summary>
    public const string SettlementsMatch = "settlements_match";

    /// <summary>Each settlement's UETR appears once in the trade and is not tied to another title or financing on the ledger.</summary>
    public const string UetrUnique = "uetr_unique";

    /// <summary>Loading ≤ B/L date ≤ each settlement's value date.</summary>
    public const string DateOrder = "date_order";

    /// <summary>The sales invoice over the purchase invoice is within the configured margin bounds.</summary>
    public const string ResaleMargin = "resale_margin";

    /// <summary>Every party named is a consortium member or a known counterparty.</summary>
    public const string PartiesKnown = "parties_known";

    /// <summary>All names, in verdict order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        DocumentsAnchored, TitleLive, LoadingAttested, GoodsAndQuantity, SettlementsMatch, UetrUnique, DateOrder, ResaleMargin,
        PartiesKnown,
    ];
}
