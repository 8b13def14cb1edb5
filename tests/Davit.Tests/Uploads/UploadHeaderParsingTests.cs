using Davit.Storage;
using Davit.Uploads;
using Davit.Uploads.Tus;

namespace Davit.Tests.Uploads;

/// <summary>The parsing of tus's Upload-Metadata and the protocol state kept in a session's media type.</summary>
public sealed class UploadHeaderParsingTests
{
    [Theory]
    [InlineData("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential", 2)]
    [InlineData("filename aGVsbG8udHh0", 1)]
    [InlineData("", 0)]
    public void Upload_Metadata_From_The_Specification_Parses(string header, int pairs)
    {
        Assert.True(TusMetadata.TryParse(header, out var parsed));
        Assert.Equal(pairs, parsed.Count);
    }

    [Fact]
    public void Upload_Metadata_Values_Are_Base64_Utf8_And_Keys_Without_Value_Are_Null()
    {
        Assert.True(TusMetadata.TryParse("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential", out var parsed));
        Assert.Equal("world_domination_plan.pdf", parsed["filename"]);
        Assert.Null(parsed["is_confidential"]);
    }

    [Theory]
    [InlineData("filename ***")]
    [InlineData("filename YQ==,filename YQ==")]
    [InlineData("a b c")]
    [InlineData("ké YQ==")]
    [InlineData(",")]
    public void Malformed_Upload_Metadata_Is_Refused(string header) => Assert.False(TusMetadata.TryParse(header, out _));

    [Fact]
    public void Upload_State_Round_Trips_Through_The_Session_Media_Type_And_Leaves_The_Real_Type_For_Storage()
    {
        var state = new UploadState("tus", "text/plain; charset=utf-8", true, "filename YS5iaW4=,note");
        var session = new UploadSession("id", DavPath.Root.Append("a.bin"), 0, 10, state.Encode(), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        Assert.Equal(state, UploadState.Of(session, "tus"));
        Assert.Null(UploadState.Of(session, "ietf"));
        Assert.Equal("text/plain; charset=utf-8", UploadState.ForStorage(session).ContentType);
    }

    [Theory]
    [InlineData("application/pdf")]
    [InlineData(null)]
    [InlineData("davit-upload")]
    public void A_Plain_Media_Type_Is_No_Upload_State(string? type)
    {
        var session = new UploadSession("id", DavPath.Root.Append("a.bin"), 0, 10, type, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        Assert.Null(UploadState.Of(session, "tus"));
        Assert.Equal(type, UploadState.ForStorage(session).ContentType);
    }
}
