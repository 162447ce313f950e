using FazAi.Functions.Http;
using FazAi.Functions.Materials;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FazAi.Functions.Tests.Materials;

/// <summary>The download route, checked and decoded; the HTTP tests cover the raw target, these the rest.</summary>
public sealed class FileRouteTests
{
    private const string Name = "1764835200000123456.jpeg";

    [Fact]
    public void Without_a_raw_target_the_route_values_still_encoded_slash_is_decoded()
    {
        var request = new DefaultHttpContext().Request;

        var route = FileRoute.Read(request, "u%2F12#3?4", "image", Name);

        Assert.Equal(("u/12#3?4", "image", Name), (route.WxUin, route.Type, route.Name));
    }

    [Fact]
    public void The_raw_target_decides_the_wxuin_when_it_ends_in_the_type_and_name()
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget =
            $"/user/files/a%252Fb%20%F0%9F%98%80/image/{Name}?x=1";

        var route = FileRoute.Read(context.Request, "a%2Fb 😀", "image", Name);

        Assert.Equal("a%2Fb 😀", route.WxUin);
    }

    [Theory]
    [InlineData("video", Name, "type")]
    [InlineData(null, Name, "type")]
    [InlineData("image", "1764835200000123456.mp3", "name")]
    [InlineData("mp3", Name, "name")]
    [InlineData("image", "1764835200000123456", "name")]
    [InlineData("image", ".jpeg", "name")]
    [InlineData("image", "1234567890123456789012345.jpeg", "name")]
    [InlineData("image", "１２３.jpeg", "name")]
    public void A_bad_type_or_name_is_a_bad_parameter_naming_it(string? type, string name, string parameter)
    {
        var e = Assert.Throws<ApiException>(() => FileRoute.Read(new DefaultHttpContext().Request, "1", type, name));

        Assert.Equal(ApiFailure.BadParameter, e.Failure);
        Assert.Contains($"'{parameter}'", e.Message);
    }
}
