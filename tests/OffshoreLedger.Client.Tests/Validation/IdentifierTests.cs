using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Client.Tests.Validation;

public class IdentifierTests
{
    [Theory]
    [InlineData("CSQU3054383")] // the worked example of ISO 6346
    [InlineData("BICU1234565")] // the BIC's own example
    [InlineData("MSKU1234565")]
    [InlineData("csqu 305438-3")]
    [InlineData("ＣＳＱＵ３０５４３８３")]
    public void Valid_container_number_is_accepted(string number) =>
        Assert.True(ContainerNumber.IsValid(number));

    [Theory]
    [InlineData("CSQU3054384")]
    [InlineData("CSQU3054380")]
    [InlineData("BICU1234566")]
    public void Container_number_with_wrong_check_digit_is_rejected(string number)
    {
        var check = ContainerNumber.Check(number);

        Assert.Equal(ViolationCode.CheckDigitMismatch, check.Code);
        Assert.Contains("should be", check.Reason);
    }

    [Theory]
    [InlineData("CSQX3054383")] // category must be U, J or Z
    [InlineData("CSQU305438")]
    [InlineData("C5QU3054383")]
    [InlineData("CSQU30543831")]
    public void Container_number_of_the_wrong_shape_is_malformed(string number) =>
        Assert.Equal(ViolationCode.Malformed, ContainerNumber.Check(number).Code);

    [Fact]
    public void Container_check_digit_of_the_iso_example_is_3() =>
        Assert.Equal(3, ContainerNumber.CheckDigit("CSQU305438"));

    [Fact]
    public void Container_number_normalises_to_eleven_characters()
    {
        Assert.True(ContainerNumber.TryNormalize(" csqu-305438 3 ", out var normalized));
        Assert.Equal("CSQU3054383", normalized);
    }

    [Theory]
    [InlineData("9074729")] // the example of IMO's own guidance
    [InlineData("IMO 9074729")]
    [InlineData("9321483")]
    [InlineData("9811000")]
    public void Valid_imo_number_is_accepted(string number) => Assert.True(ImoNumber.IsValid(number));

    [Theory]
    [InlineData("9074728")]
    [InlineData("IMO 9074720")]
    [InlineData("9321484")]
    public void Imo_number_with_wrong_check_digit_is_rejected(string number) =>
        Assert.Equal(ViolationCode.CheckDigitMismatch, ImoNumber.Check(number).Code);

    [Theory]
    [InlineData("907472")]
    [InlineData("90747290")]
    [InlineData("IMO")]
    public void Imo_number_that_is_not_seven_digits_is_rejected(string number) =>
        Assert.False(ImoNumber.IsValid(number));

    [Theory]
    [InlineData("5493001KJTIIGC8Y1R12")]
    [InlineData("529900T8BM49AURSDO55")]
    [InlineData("5493 001K JTII GC8Y 1R12")]
    [InlineData(TestDocuments.SellerLei)]
    public void Valid_lei_is_accepted(string lei) => Assert.True(LegalEntityIdentifier.IsValid(lei));

    [Theory]
    [InlineData("5493001KJTIIGC8Y1R13")]
    [InlineData("529900T8BM49AURSDO56")]
    [InlineData("5493001KJTIIGC8Y1R21")] // transposed check digits
    [InlineData("5493001KJTIIGC9Y1R12")] // one character re-typed
    public void Lei_with_wrong_check_digits_is_rejected(string lei) =>
        Assert.Equal(ViolationCode.CheckDigitMismatch, LegalEntityIdentifier.Check(lei).Code);

    [Theory]
    [InlineData("5493001KJTIIGC8Y1R1")]
    [InlineData("5493001KJTIIGC8Y1RAB")]
    public void Lei_of_the_wrong_shape_is_malformed(string lei) =>
        Assert.Equal(ViolationCode.Malformed, LegalEntityIdentifier.Check(lei).Code);

    [Theory]
    [InlineData("eb6305c9-1f7f-49de-aed0-16487c27b42d")]
    [InlineData("97ed4827-7b6f-4491-a06f-b548d5a7512d")]
    [InlineData("EB6305C9-1F7F-49DE-AED0-16487C27B42D")]
    public void Version_4_uuid_is_a_valid_uetr(string uetr) => Assert.True(Uetr.IsValid(uetr));

    [Theory]
    [InlineData("e4eaaaf2-d142-11e1-b3e4-080027620cdd", "version 1")] // time-based UUID
    [InlineData("eb6305c9-1f7f-49de-ced0-16487c27b42d", "variant")]
    [InlineData("eb6305c91f7f49deaed016487c27b42d", "8-4-4-4-12")]
    [InlineData("eb6305c9-1f7f-49de-aed0-16487c27b42", "8-4-4-4-12")]
    [InlineData("xb6305c9-1f7f-49de-aed0-16487c27b42d", "8-4-4-4-12")]
    public void Uetr_that_is_not_a_version_4_uuid_is_rejected(string uetr, string reasonMentions)
    {
        var check = Uetr.Check(uetr);

        Assert.False(check.IsValid);
        Assert.Contains(reasonMentions, check.Reason);
    }

    [Theory]
    [InlineData("SGSIN")]
    [InlineData("NL RTM")]
    [InlineData("cnsha")]
    [InlineData("USNYC")]
    [InlineData("DE2AB")]
    public void Well_formed_un_locode_is_accepted(string code) => Assert.True(UnLocode.IsValid(code));

    [Theory]
    [InlineData("SGSI")]
    [InlineData("SGSIN1")]
    [InlineData("1GSIN")]
    [InlineData("SGS1N")] // 0 and 1 never appear in the location part
    public void Malformed_un_locode_is_rejected(string code) => Assert.False(UnLocode.IsValid(code));

    [Theory]
    [InlineData("USD", 2)]
    [InlineData("jpy", 0)]
    [InlineData("BHD", 3)]
    [InlineData("CLF", 4)]
    [InlineData("XCG", 2)]
    [InlineData("ZWG", 2)]
    public void Active_currency_is_accepted_with_its_minor_units(string code, int minorUnits)
    {
        Assert.True(CurrencyCode.IsValid(code));
        Assert.Equal(minorUnits, CurrencyCode.MinorUnits(code));
    }

    [Fact]
    public void Gold_has_no_minor_units() => Assert.Null(CurrencyCode.MinorUnits("XAU"));

    [Theory]
    [InlineData("HRK", "withdrawn")]
    [InlineData("ANG", "withdrawn")]
    [InlineData("ZWL", "withdrawn")]
    [InlineData("ABC", "not an active")]
    public void Unknown_or_withdrawn_currency_is_rejected(string code, string reasonMentions)
    {
        var check = CurrencyCode.Check(code);

        Assert.Equal(ViolationCode.UnknownCode, check.Code);
        Assert.Contains(reasonMentions, check.Reason);
    }

    [Fact]
    public void Currency_list_holds_the_active_iso_4217_codes()
    {
        Assert.InRange(CurrencyCode.ActiveCodes.Count, 170, 190);
        Assert.Contains("EUR", CurrencyCode.ActiveCodes);
        Assert.DoesNotContain("DEM", CurrencyCode.ActiveCodes);
    }

    [Theory]
    [InlineData("740311", "740311")]
    [InlineData("7403.11.00", "740311")]
    [InlineData("0904.11.10.00", "090411")]
    public void Hs_code_subheading_is_its_first_six_digits(string code, string subheading) =>
        Assert.Equal(subheading, HsCode.Subheading(code));

    [Theory]
    [InlineData("7403", ViolationCode.Malformed)] // a heading is not precise enough to key a lot
    [InlineData("7403111", ViolationCode.Malformed)]
    [InlineData("74031A", ViolationCode.Malformed)]
    [InlineData("980311", ViolationCode.UnknownCode)]
    [InlineData("770311", ViolationCode.UnknownCode)]
    [InlineData("000311", ViolationCode.UnknownCode)]
    public void Impossible_hs_code_is_rejected(string code, ViolationCode expected) =>
        Assert.Equal(expected, HsCode.Check(code).Code);

    [Theory]
    [InlineData("MAEU", true)]
    [InlineData("HLC", true)]
    [InlineData("M", false)]
    [InlineData("MAEUX", false)]
    [InlineData("MA3U", false)]
    public void Carrier_code_is_two_to_four_letters(string code, bool valid) =>
        Assert.Equal(valid, CarrierCode.IsValid(code));

    [Theory]
    [InlineData("mae-u 250 123/456", "MAEU250123456")]
    [InlineData("ＭＡＥＵ２５０１２３４５６", "MAEU250123456")]
    [InlineData("MAEU٢٥٠١٢٣٤٥٦", "MAEU250123456")] // Arabic-Indic digits
    [InlineData("  ", "")]
    [InlineData(null, "")]
    public void Identifier_normalises_to_upper_case_letters_and_ascii_digits(string? printed, string expected) =>
        Assert.Equal(expected, IdentifierNormalizer.Normalize(printed));
}
