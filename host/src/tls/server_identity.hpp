// ServerIdentity: what a TLS listener presents and demands — its certificate, the chain after it
// and the private key, and, for mutual TLS, the CA certificates a client's certificate must chain
// to. Read from PEM files and checked (the key matches the certificate, every file parses, the
// certificate is within its validity period) when a Generation is built, so SIGHUP re-reads them
// and a bad file fails the reload, not a handshake. The TLS listener (http/server_tls_context) applies
// the current identity to each new connection; connections already open keep theirs.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

namespace vep::host {

class ServerIdentity {
  public:
    // Throws std::runtime_error naming the file and what is wrong with it. `client_ca` "" = no
    // client certificates asked for.
    static std::shared_ptr<const ServerIdentity> load(const std::string &cert_file, const std::string &key_file,
                                                      const std::string &client_ca_file);
    ~ServerIdentity();
    ServerIdentity(const ServerIdentity &) = delete;
    ServerIdentity &operator=(const ServerIdentity &) = delete;

    // Installs certificate, chain and key on one connection being accepted and, with client CAs,
    // requires and verifies the client's certificate against them. False when OpenSSL refused.
    bool apply(SSL *ssl) const;
    bool requires_client_certificate() const { return client_ca_ != nullptr; }
    // "subject CN=..., valid until ..." for the log (no key material).
    const std::string &description() const { return description_; }

  private:
    ServerIdentity() = default;

    X509 *cert_ = nullptr;
    STACK_OF(X509) *chain_ = nullptr;
    EVP_PKEY *key_ = nullptr;
    X509_STORE *client_ca_ = nullptr;
    STACK_OF(X509_NAME) *client_ca_names_ = nullptr;
    std::string description_;
};

}  // namespace vep::host
