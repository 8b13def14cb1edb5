using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Davit.Server.Tests.Accounts;

/// <summary>HTTPS with a certificate made in the test, from PEM files or a PFX.</summary>
public sealed class HttpsTests
{
    [Theory]
    [InlineData("pem")]
    [InlineData("pem-encrypted")]
    [InlineData("pfx")]
    public async Task Https_Serves_With_The_Given_Certificate_And_Basic_Works_Over_It(string form)
    {
        using var temp = new TempFolder();
        using var certificate = MakeCertificate();
        string[] certificateArgs = form switch
        {
            "pem" => ["--cert", Write(temp.Combine("cert.pem"), certificate.ExportCertificatePem()), "--cert-key", Write(temp.Combine("key.pem"), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem())],
            "pem-encrypted" => ["--cert", Write(temp.Combine("cert.pem"), certificate.ExportCertificatePem()),
                "--cert-key", Write(temp.Combine("key.pem"), certificate.GetRSAPrivateKey()!.ExportEncryptedPkcs8PrivateKeyPem("key secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000))),
                "--cert-password", "key secret"],
            _ => ["--cert", WriteBytes(temp.Combine("server.pfx"), certificate.Export(X509ContentType.Pkcs12, "pfx secret")), "--cert-password", "pfx secret"],
        };
        var users = TestUsers.Write(temp.Combine("users.json"), TestUsers.User("alice", "a-pass"));
        var root = temp.Combine("root");
        await using var server = await ServerProcess.StartAsync(["--root", root, "--users", users, "--urls", "https://127.0.0.1:0", .. certificateArgs]);
        Assert.Equal("https", server.BaseAddress.Scheme);

        X509Certificate2? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                presented = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.RawData);
                return cert?.Thumbprint == certificate.Thumbprint;
            },
        };
        using var alice = TestUsers.Client(server.BaseAddress, "alice", "a-pass", handler);
        Assert.Equal(HttpStatusCode.Created, (await alice.PutAsync("secure.txt", new StringContent("over TLS"))).StatusCode);
        Assert.Equal("over TLS", await File.ReadAllTextAsync(Path.Combine(root, "secure.txt")));
        Assert.Equal(certificate.Thumbprint, presented?.Thumbprint);
        Assert.Contains("HTTPS certificate: CN=davit-test", server.Output, StringComparison.Ordinal);

        using var anonymous = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("secure.txt")).StatusCode);
    }

    [Fact]
    public async Task A_Certificate_That_Cannot_Be_Loaded_Stops_The_Server_Before_It_Listens()
    {
        using var temp = new TempFolder();
        using var certificate = MakeCertificate();
        var pem = Write(temp.Combine("cert.pem"), certificate.ExportCertificatePem());
        var (code, output) = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(30),
            "--root", temp.Combine("root"), "--cert", pem, "--urls", "https://127.0.0.1:0");
        Assert.Equal(2, code);
        Assert.Contains("cannot load the HTTPS certificate", output, StringComparison.Ordinal);

        (code, output) = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(30),
            "--root", temp.Combine("root"), "--cert-key", pem, "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, code);
        Assert.Contains("without a certificate", output, StringComparison.Ordinal);
    }

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, valid for a day.</summary>
    internal static X509Certificate2 MakeCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=davit-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static string Write(string path, string text)
    {
        File.WriteAllText(path, text);
        return path;
    }

    private static string WriteBytes(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
