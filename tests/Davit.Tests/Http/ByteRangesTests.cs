using Davit.Http;

namespace Davit.Tests.Http;

public sealed class ByteRangesTests
{
    // RFC 9110 §14.1.2 examples, for a representation of 10000 bytes.
    [Theory]
    [InlineData("bytes=0-499", 0, 500)]
    [InlineData("bytes=500-999", 500, 500)]
    [InlineData("bytes=-500", 9500, 500)]
    [InlineData("bytes=9500-", 9500, 500)]
    [InlineData("bytes=0-0", 0, 1)]
    [InlineData("bytes=-1", 9999, 1)]
    [InlineData("bytes=0-99999", 0, 10000)]
    [InlineData("bytes=-20000", 0, 10000)]
    [InlineData("BYTES=1-2", 1, 2)]
    public void Single_Ranges_Follow_The_Rfc_Examples(string header, long offset, long length)
    {
        var selection = ByteRanges.Select(header, 10000);
        Assert.Equal(RangeOutcome.Partial, selection.Outcome);
        Assert.Equal([new ByteRange(offset, length)], selection.Ranges);
    }

    [Fact]
    public void Several_Ranges_Stay_Separate_In_Offset_Order()
    {
        var selection = ByteRanges.Select("bytes=500-600,0-99,9000-", 10000);
        Assert.Equal([new ByteRange(0, 100), new ByteRange(500, 101), new ByteRange(9000, 1000)], selection.Ranges);
    }

    [Fact]
    public void Overlapping_And_Adjacent_Ranges_Are_Merged()
    {
        // RFC 9110 §14.1.2: "bytes=500-600,601-999" and "bytes=500-700,601-999" both mean 500-999.
        Assert.Equal([new ByteRange(500, 500)], ByteRanges.Select("bytes=500-600,601-999", 10000).Ranges);
        Assert.Equal([new ByteRange(500, 500)], ByteRanges.Select("bytes=500-700,601-999", 10000).Ranges);
    }

    [Theory]
    [InlineData("bytes=10000-")]
    [InlineData("bytes=20000-30000")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=10000-,20000-")]
    public void Nothing_Satisfiable_Is_416(string header)
    {
        Assert.Equal(RangeOutcome.NotSatisfiable, ByteRanges.Select(header, 10000).Outcome);
    }

    [Fact]
    public void An_Empty_Representation_Satisfies_No_Range()
    {
        Assert.Equal(RangeOutcome.NotSatisfiable, ByteRanges.Select("bytes=0-", 0).Outcome);
        Assert.Equal(RangeOutcome.NotSatisfiable, ByteRanges.Select("bytes=-5", 0).Outcome);
    }

    [Fact]
    public void Unsatisfiable_Ranges_Are_Dropped_When_Others_Are_Satisfiable()
    {
        Assert.Equal([new ByteRange(0, 10)], ByteRanges.Select("bytes=0-9,20000-", 10000).Ranges);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bytes")]
    [InlineData("bytes=")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=5-1")]
    [InlineData("bytes=1-2,5-1")]
    [InlineData("items=0-5")]
    [InlineData("bytes=--5")]
    [InlineData("bytes=0-99999999999999999999999")]
    [InlineData("bytes=99999999999999999999999-")]
    [InlineData("bytes 0-5")]
    public void Malformed_Or_Foreign_Ranges_Are_Ignored(string? header)
    {
        Assert.Equal(RangeOutcome.Full, ByteRanges.Select(header, 10000).Outcome);
    }

    [Fact]
    public void Offsets_Beyond_Four_Gigabytes_Are_Exact()
    {
        const long size = 6L * 1024 * 1024 * 1024;
        var selection = ByteRanges.Select("bytes=5368709120-5368709129", size);
        Assert.Equal([new ByteRange(5368709120, 10)], selection.Ranges);
        Assert.Equal("bytes 5368709120-5368709129/6442450944", selection.Ranges[0].ContentRange(size));
    }

    [Fact]
    public void Thousands_Of_Ranges_Get_The_Whole_Content()
    {
        var header = "bytes=" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"{i * 2}-{i * 2}"));
        Assert.Equal(RangeOutcome.Full, ByteRanges.Select(header, 100000).Outcome);
    }

    [Fact]
    public void Overlapping_Ranges_That_Add_Up_To_More_Than_The_Whole_Get_The_Whole_Content()
    {
        // The CVE-2011-3192 pattern: many ranges over the same bytes.
        var header = "bytes=0-," + string.Join(",", Enumerable.Range(1, 40).Select(i => $"{i}-"));
        Assert.Equal(RangeOutcome.Full, ByteRanges.Select(header, 1000).Outcome);
    }

    [Fact]
    public void Up_To_The_Cap_Ranges_Are_Served()
    {
        var header = "bytes=" + string.Join(",", Enumerable.Range(0, ByteRanges.DefaultMaxRanges).Select(i => $"{i * 10}-{i * 10 + 1}"));
        var selection = ByteRanges.Select(header, 100000);
        Assert.Equal(RangeOutcome.Partial, selection.Outcome);
        Assert.Equal(ByteRanges.DefaultMaxRanges, selection.Ranges.Count);
    }
}
