using System.Security.Cryptography;

namespace RoseForest.Federated.SecureAggregation;

/// <summary>AES-256-GCM for shares: one fresh key per direction and round, so a zero nonce is never reused; the sender and recipient ids are the associated data.</summary>
internal static class ShareCipher
{
    private const int TagBytes = 16;

    public static byte[] Encrypt(byte[] key, byte[] plaintext, string from, string to)
    {
        using var aes = new AesGcm(key, TagBytes);
        var output = new byte[plaintext.Length + TagBytes];
        aes.Encrypt(new byte[12], plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), SecAggClient.Aad(from, to));
        return output;
    }

    public static byte[] Decrypt(byte[] key, byte[] ciphertext, string from, string to)
    {
        if (ciphertext.Length < TagBytes)
        {
            throw new ShareAuthenticationException($"The share from '{from}' is truncated.");
        }

        using var aes = new AesGcm(key, TagBytes);
        var plaintext = new byte[ciphertext.Length - TagBytes];
        try
        {
            aes.Decrypt(new byte[12], ciphertext.AsSpan(0, plaintext.Length), ciphertext.AsSpan(plaintext.Length), plaintext, SecAggClient.Aad(from, to));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new ShareAuthenticationException($"The share from '{from}' to '{to}' failed authentication.");
        }

        return plaintext;
    }
}
