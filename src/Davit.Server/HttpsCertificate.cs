using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Davit.Server;

/// <summary>Loads the server's HTTPS certificate from a PFX (PKCS#12) file or from PEM files.</summary>
internal static class HttpsCertificate
{
    /// <summary>
    /// The certificate in <paramref name="certificate"/> (.pfx or .p12: PKCS#12 with <paramref name="password"/>;
    /// anything else: PEM, with the private key in the same file or in <paramref name="key"/>, encrypted when a
    /// password is given). Throws <see cref="InvalidOperationException"/> with a message for an operator.
    /// </summary>
    public static X509Certificate2 Load(string certificate, string? key, string? password)
    {
        X509Certificate2 loaded;
        try
        {
            var extension = Path.GetExtension(certificate).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
            {
                loaded = X509CertificateLoader.LoadPkcs12FromFile(certificate, password);
            }
            else
            {
                using var pem = string.IsNullOrEmpty(password)
                    ? X509Certificate2.CreateFromPemFile(certificate, key)
                    : X509Certificate2.CreateFromEncryptedPemFile(certificate, password, key);

                // A key read from PEM lives only in memory; Windows' TLS stack needs it in a PKCS#12 blob.
                loaded = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"cannot load the HTTPS certificate {certificate}{(key is null ? string.Empty : " with the key " + key)}: {e.Message}", e);
        }

        if (!loaded.HasPrivateKey)
        {
            loaded.Dispose();
            throw new InvalidOperationException($"the HTTPS certificate {certificate} has no private key: give it with --cert-key <file>.");
        }

        return loaded;
    }
}
