using Davit.Locking;

namespace Davit.Conformance;

public abstract partial class LockStoreConformanceTests
{
    [Fact]
    public async Task OwnerXml_And_Principal_Round_Trip_Exactly_Through_Get_Find_And_Refresh()
    {
        string[] owners =
        [
            "<D:owner xmlns:D=\"DAV:\" xmlns:x=\"urn:example:x\" xml:lang=\"fr\">\n\t<x:personne x:r\u00F4le=\"auteur\">Zo\u00EB \u4E2D\u6587 \U0001F600 &amp; &lt;b&gt;</x:personne>  <D:href>mailto:zo%C3%AB@example.com</D:href>\r\n</D:owner>",
            "<owner xmlns=\"DAV:\"><href>http://example.com/~alice</href></owner>",
            "<a:owner xmlns:a=\"DAV:\"/>",
            "<D:owner xmlns:D=\"DAV:\"><![CDATA[ <not> markup ]]>caf\u00E9</D:owner>",
        ];
        var added = owners.Select(owner => NewLock("f/" + Guid.NewGuid().ToString("N")) with
        {
            OwnerXml = owner,
            Principal = "zo\u00EB@\u4F8B\u3048.jp \U0001F600",
        }).ToArray();
        await AddAsync(added);

        foreach (var expected in added)
        {
            var stored = await GetAsync(expected.Token);
            Assert.Equal(expected.OwnerXml, stored?.OwnerXml, StringComparer.Ordinal);
            Assert.Equal(expected.Principal, stored?.Principal, StringComparer.Ordinal);
            AssertLocks([expected], await FindAsync(expected.Root.ToString()));

            var refreshed = await Locks.RefreshAsync(expected.Token, TimeSpan.FromHours(1), Now + TimeSpan.FromHours(1), Now, CancellationToken.None);
            Assert.Equal(expected.OwnerXml, refreshed?.OwnerXml, StringComparer.Ordinal);
            Assert.Equal(expected.OwnerXml, (await GetAsync(expected.Token))?.OwnerXml, StringComparer.Ordinal);
        }
    }

    [Fact]
    public async Task Tokens_Are_Compared_Exactly()
    {
        var token = "urn:uuid:" + Guid.NewGuid().ToString("D");
        var held = NewLock("a", token: token);
        await AddAsync(held);

        foreach (var other in new[] { token.ToUpperInvariant(), token + " ", " " + token, token[..^1], token["urn:uuid:".Length..] })
        {
            Assert.Null(await GetAsync(other));
            Assert.Null(await Locks.RefreshAsync(other, TimeSpan.FromHours(1), Now + TimeSpan.FromHours(1), Now, CancellationToken.None));
            Assert.False(await Locks.RemoveAsync(other, Now, CancellationToken.None));
        }

        Assert.Equal(held, await GetAsync(token));
    }

    [Fact]
    public async Task Tokens_That_Differ_Only_In_Case_Name_Two_Locks()
    {
        var token = "urn:uuid:" + Guid.NewGuid().ToString("D");
        var lower = NewLock("a", LockScope.Shared, token: token);
        var upper = NewLock("b", LockScope.Shared, token: token.ToUpperInvariant());

        await AddAsync(lower, upper);

        Assert.Equal(lower, await GetAsync(lower.Token));
        Assert.Equal(upper, await GetAsync(upper.Token));
        Assert.True(await Locks.RemoveAsync(upper.Token, Now, CancellationToken.None));
        Assert.Equal(lower, await GetAsync(lower.Token));
    }
}
