using Davit.Hosting;

namespace Davit.Tests.Uploads;

/// <summary>Which origins <see cref="DavOptions.CorsOrigins"/> lets in: the check the engine's CORS answers and a
/// host's authentication in front of it (Davit.Server lets these preflights through) share.</summary>
public sealed class CorsOriginTests
{
    [Theory]
    [InlineData("https://app.example", true)]
    [InlineData("HTTPS://APP.EXAMPLE", true)]
    [InlineData("https://app.example:8443", false)]
    [InlineData("https://evil.example", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_Listed_Origin_Is_Allowed_In_Any_Case_And_Nothing_Else(string? origin, bool allowed) =>
        Assert.Equal(allowed, new DavOptions { CorsOrigins = ["https://app.example"] }.AllowsCorsOrigin(origin));

    [Fact]
    public void A_Star_Allows_Every_Origin_But_None_Without_One_And_An_Empty_List_Allows_None()
    {
        var star = new DavOptions { CorsOrigins = ["*"] };
        Assert.True(star.AllowsCorsOrigin("https://any.example"));
        Assert.False(star.AllowsCorsOrigin(""));
        Assert.False(new DavOptions().AllowsCorsOrigin("https://any.example"));
    }
}
