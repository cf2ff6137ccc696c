package org.defpi.orchestrator.certificate;

import java.net.URI;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessManager;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.wire.tls.TlsNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator as certificate authority (docs/wire-additions.md, "TLS"): one authority per
 * deployment, kept in the store and shared by every instance ({@link #loadAuthority}), and
 * certificates for processes that ask ({@code POST /process/{id}/certificate}). This instance's own
 * certificate, for its TLS connections to the processes' management ports, is an
 * {@link OrchestratorIdentity} over the same authority.
 */
public final class CertificateManager {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateManager.class);
  /** {@code DEFPI_CERT_TTL}'s default and least value. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  public static final Duration MIN_TTL = Duration.ofSeconds(60);

  /** @param ttl how long a certificate is valid (DEFPI_CERT_TTL): processes' and this orchestrator's */
  public record Settings(Duration ttl) {
    public Settings {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.compareTo(MIN_TTL) < 0) {
        throw new IllegalArgumentException("a certificate's time to live must be at least " + MIN_TTL.toSeconds()
            + " s, not " + ttl.toSeconds() + " s");
      }
    }

    public static Settings defaults() {
      return new Settings(DEFAULT_TTL);
    }
  }

  /** Who asks for a certificate: a process, authenticated by its own token. */
  public record Applicant(String processId, String userId) {
    public Applicant {
      Objects.requireNonNull(processId, "processId");
      Objects.requireNonNull(userId, "userId");
    }
  }

  /** Authenticates an applicant; implemented over the process manager ({@link #directory}). */
  public interface Directory {
    /**
     * The process {@code processId} when {@code token} is its own X-Auth-Token: 401 without a token or
     * with a wrong one, 404 for an unknown process, 409 for one being removed.
     */
    Applicant applicant(String processId, String token) throws Refusal;
  }

  /** Reads the public key from the request once the applicant is known (nothing is read for a stranger). */
  @FunctionalInterface
  public interface KeySource {
    String read() throws Refusal;
  }

  /** The directory over the process manager. */
  public static Directory directory(ProcessManager processes) {
    return (processId, token) -> {
      Process process;
      try {
        process = processes.authenticate(processId, token, "a certificate request");
      } catch (Refusal.Forbidden e) {
        // The contract answers a wrong token 401, as a missing one (wire-additions.md, TLS, 1).
        throw new Refusal.Unauthorized(e.getMessage(), Refusal.Unauthorized.Challenge.PROCESS_TOKEN);
      }
      if (process.state() == ProcessState.TERMINATED) {
        throw new Refusal.Conflict("process " + processId + " is being removed: it gets no certificate");
      }
      return new Applicant(process.id(), process.userId());
    };
  }

  private final CertificateAuthority authority;
  private final Directory directory;
  private final Clock clock;
  private final Settings settings;

  /** @param authority the deployment's, from {@link #loadAuthority} */
  public CertificateManager(CertificateAuthority authority, Directory directory, Clock clock, Settings settings) {
    this.authority = Objects.requireNonNull(authority, "authority");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * The one authority of the store: read, or made and kept. Two instances starting at once on one
   * database both make one, one insert wins, and both read back the winner's: so every instance
   * signs with the same key.
   */
  public static CertificateAuthority loadAuthority(AuthorityStore store, Clock clock, SecureRandom random) {
    Optional<StoredAuthority> kept = store.findAuthority();
    if (kept.isPresent()) {
      CertificateAuthority authority = CertificateAuthority.of(kept.get(), random);
      LOG.info("certificate authority: {}", authority);
      return authority;
    }
    CertificateAuthority made = CertificateAuthority.create(clock.instant(), random);
    if (store.insertAuthority(made.stored(clock.instant()))) {
      LOG.info("made the deployment's certificate authority: {}", made);
      return made;
    }
    StoredAuthority winner = store.findAuthority().orElseThrow(() ->
        new IllegalStateException("the store refused a certificate authority but holds none"));
    CertificateAuthority authority = CertificateAuthority.of(winner, random);
    LOG.info("certificate authority (made by another instance meanwhile): {}", authority);
    return authority;
  }

  /**
   * A certificate for the process that asks: authenticated by its token first, then its public key
   * read and checked ({@link PublicKeys#ecP256}); subject {@code CN=<processId>}, names
   * {@code urn:defpi:process:<processId>} and {@code urn:defpi:user:<userId>}.
   */
  public IssuedCertificate issue(String processId, String token, KeySource publicKey) throws Refusal {
    Applicant applicant = directory.applicant(processId, token);
    PublicKey key = PublicKeys.ecP256(publicKey.read(), "publicKey");
    List<URI> names = List.of(TlsNames.process(applicant.processId()), TlsNames.user(applicant.userId()));
    IssuedCertificate issued = authority.issue(key, applicant.processId(), names, clock.instant(), settings.ttl());
    LOG.info("issued a certificate to process {} (serial {}), valid until {}", applicant.processId(),
        issued.certificate().getSerialNumber().toString(16), issued.notAfter());
    return issued;
  }

  /** The authority's certificate: what processes and this orchestrator trust. */
  public X509Certificate authorityCertificate() {
    return authority.certificate();
  }

  public Settings settings() {
    return settings;
  }
}
