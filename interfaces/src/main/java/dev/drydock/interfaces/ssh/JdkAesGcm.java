package dev.drydock.interfaces.ssh;

import com.hierynomus.sshj.transport.cipher.GcmCipher;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.transport.cipher.Cipher;

/**
 * The SSH ciphers {@code aes128-gcm@openssh.com} and {@code aes256-gcm@openssh.com}, computed by the
 * JDK's own AES-GCM. sshj takes every cipher from BouncyCastle whenever BouncyCastle is on the class
 * path (sshj depends on it), and BouncyCastle's AES and ChaCha20 are plain Java, while the
 * JDK's AES-GCM runs on the processor's AES and carry-less multiply instructions. This is sshj's
 * own {@link GcmCipher}, so the packet format and nonce handling are sshj's; only the provider of
 * the block cipher differs.
 */
final class JdkAesGcm extends GcmCipher {
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BYTES = 16;

    private final int keyBytes;

    private JdkAesGcm(int keyBytes) {
        super(IV_BYTES, TAG_BYTES, keyBytes, "AES", TRANSFORMATION);
        this.keyBytes = keyBytes;
    }

    @Override
    public void init(Mode mode, byte[] key, byte[] iv) {
        try {
            // The provider list's first AES-GCM (the JDK's, as sshj appends BouncyCastle after it),
            // not the provider sshj would name.
            cipher = javax.crypto.Cipher.getInstance(TRANSFORMATION);
            initCipher(cipher, mode, Arrays.copyOf(key, keyBytes), Arrays.copyOf(iv, IV_BYTES));
        } catch (GeneralSecurityException e) {
            throw new SSHRuntimeException("AES-GCM is not available from the JDK: " + e.getMessage(), e);
        }
    }

    /** The two AES-GCM ciphers first, then {@code others} without sshj's own AES-GCM. */
    static List<Factory.Named<Cipher>> preferredBefore(List<Factory.Named<Cipher>> others) {
        List<Named> ours = List.of(new Named("aes128-gcm@openssh.com", 16), new Named("aes256-gcm@openssh.com", 32));
        Set<String> names = Set.of(ours.get(0).getName(), ours.get(1).getName());
        List<Factory.Named<Cipher>> ciphers = new ArrayList<>(ours);
        for (Factory.Named<Cipher> other : others) {
            if (!names.contains(other.getName())) {
                ciphers.add(other);
            }
        }
        return List.copyOf(ciphers);
    }

    private record Named(String name, int keyBytes) implements Factory.Named<Cipher> {
        @Override
        public Cipher create() {
            return new JdkAesGcm(keyBytes);
        }

        @Override
        public String getName() {
            return name;
        }
    }
}
