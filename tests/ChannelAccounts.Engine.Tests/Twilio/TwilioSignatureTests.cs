using System.Text;
using ChannelAccounts.Engine.Twilio;

namespace ChannelAccounts.Engine.Tests.Twilio;

/// <summary>
/// The published vectors of Twilio's helper libraries (research note §1.4, V1–V11 and Node's empty-body case) and our
/// own WhatsApp vector: each signature is computed exactly, and accepted by the validator the way the helpers accept it.
/// </summary>
public sealed class TwilioSignatureTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string JsonBody = """{"property": "value", "boolean": true}""";
    private const string JsonBodyHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

    private static readonly KeyValuePair<string, string?>[] Call =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+14158675309"),
        new("Digits", "1234"),
        new("From", "+14158675309"),
        new("To", "+18005551212"),
    ];

    [Fact]
    public void V1_signs_the_url_and_the_sorted_parameters() =>
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioSignature.Compute(Token, Url, Call));

    [Fact]
    public void V1_is_accepted() => Assert.True(TwilioSignature.IsValid(Token, Url, Call, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));

    [Fact]
    public void V2_a_signature_over_the_url_with_port_443_is_accepted_for_the_url_without_port()
    {
        Assert.Equal("kvajT1Ptam85bY51eRf/AJRuM3w=", TwilioSignature.Compute(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", Call));
        Assert.True(TwilioSignature.IsValid(Token, Url, Call, "kvajT1Ptam85bY51eRf/AJRuM3w="));
    }

    [Fact]
    public void V3_a_signature_over_http_with_port_80_is_accepted_for_http_without_port()
    {
        Assert.Equal("0ZXoZLH/DfblKGATFgpif+LLRf4=", TwilioSignature.Compute(Token, "http://mycompany.com:80/myapp.php?foo=1&bar=2", Call));
        Assert.True(TwilioSignature.IsValid(Token, "http://mycompany.com/myapp.php?foo=1&bar=2", Call, "0ZXoZLH/DfblKGATFgpif+LLRf4="));
    }

    [Fact]
    public void V4_an_explicit_http_port_is_kept() =>
        Assert.True(TwilioSignature.IsValid(Token, "http://mycompany.com:1234/myapp.php?foo=1&bar=2", Call, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="));

    [Fact]
    public void V5_an_explicit_https_port_is_kept_and_the_url_without_it_accepted_too()
    {
        const string withPort = "https://mycompany.com:1234/myapp.php?foo=1&bar=2";
        Assert.True(TwilioSignature.IsValid(Token, withPort, Call, "CYn1h0gLBdNxDGkKJg6hYohgeD8="));
        Assert.True(TwilioSignature.IsValid(Token, withPort, Call, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void V6_the_host_keeps_its_casing()
    {
        const string mixedCase = "https://MyCompany.com/myapp.php?foo=1&bar=2";
        Assert.True(TwilioSignature.IsValid(Token, mixedCase, Call, "g9IN/x4Cft2g517EjYvEvM/W7LU="));
        Assert.False(TwilioSignature.IsValid(Token, mixedCase, Call, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void V7_user_info_stays_in_the_signed_url() =>
        Assert.True(TwilioSignature.IsValid(Token, "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", Call, "CukzLTc1tT5dXEDIHm/tKBanW10="));

    [Fact]
    public void V8_a_repeated_parameter_contributes_each_value_sorted()
    {
        KeyValuePair<string, string?>[] parameters = [new("Sid", "CA123"), new("SidAccount", "AC123"), new("Digits", "5678"), new("Digits", "1234")];
        Assert.Equal("IK+Dwps556ElfBT0I3Rgjkr1wJU=", TwilioSignature.Compute(Token, Url, parameters));
        Assert.True(TwilioSignature.IsValid(Token, Url, parameters, "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
    }

    [Fact]
    public void V9_a_literal_apostrophe_in_the_url_is_signed_as_is() =>
        Assert.True(TwilioSignature.IsValid(Token, Url + "&Body=It's+amazing", Call, "dsq4Ehbj6cs+KdTkpF5sSSplOWw="));

    [Fact]
    public void V10_a_json_body_is_signed_through_bodySHA256_in_the_url() =>
        Assert.True(TwilioSignature.IsValidWithBody(Token, Url + "&bodySHA256=" + JsonBodyHash, Encoding.UTF8.GetBytes(JsonBody), "a9nBmqA0ju/hNViExpshrM61xv4="));

    [Fact]
    public void V11_bodySHA256_as_the_only_query_parameter() =>
        Assert.True(TwilioSignature.IsValidWithBody(Token, "https://mycompany.com/myapp.php?bodySHA256=" + JsonBodyHash, Encoding.UTF8.GetBytes(JsonBody),
            "y77kIzt2vzLz71DgmJGsen2scGs="));

    [Fact]
    public void A_json_body_that_does_not_hash_to_bodySHA256_is_refused_even_with_a_valid_url_signature() =>
        Assert.False(TwilioSignature.IsValidWithBody(Token, Url + "&bodySHA256=" + JsonBodyHash, Encoding.UTF8.GetBytes(JsonBody + " "), "a9nBmqA0ju/hNViExpshrM61xv4="));

    [Fact]
    public void Node_empty_body_case_matches_only_the_port_443_form()
    {
        const string emptyHash = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
        Assert.NotEqual("Ldidvp12m26NI7eqEvxnEpkd9Hc=", TwilioSignature.Compute(Token, Url + "&bodySHA256=" + emptyHash, []));
        Assert.True(TwilioSignature.IsValidWithBody(Token, Url + "&bodySHA256=" + emptyHash, "{}"u8, "Ldidvp12m26NI7eqEvxnEpkd9Hc="));
    }

    [Fact]
    public void The_WhatsApp_vector_signs_the_form_decoded_values_in_both_port_forms()
    {
        var (token, url, form) = WhatsAppVector.Request();
        Assert.Equal("dy4tad+Bm5Xdr6tioOH2geU1MSQ=", TwilioSignature.Compute(token, url, form));
        Assert.True(TwilioSignature.IsValid(token, url, form, "dy4tad+Bm5Xdr6tioOH2geU1MSQ="));
        Assert.True(TwilioSignature.IsValid(token, url, form, "uia79ktB4lOOoaSk1x1V2AVgFX4="));
    }

    [Theory]
    [InlineData("RSOYDt4T1cUTdK1PDd93/VVr8B8")]
    [InlineData("rsoydt4t1cutdk1pdd93/vvr8b8=")]
    [InlineData("")]
    [InlineData(null)]
    public void A_forged_or_missing_signature_is_refused(string? signature) =>
        Assert.False(TwilioSignature.IsValid(Token, Url, Call, signature));

    [Fact]
    public void A_different_token_or_a_changed_parameter_breaks_the_signature()
    {
        Assert.False(TwilioSignature.IsValid("12346", Url, Call, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioSignature.IsValid(Token, Url, [.. Call[..4], new("To", "+18005551213")], "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }
}
