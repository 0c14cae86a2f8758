// See server_identity.hpp.
#include "tls/server_identity.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <stdexcept>

namespace vep::host {
namespace {

// How deep a client certificate's chain may be.
constexpr int kClientChainDepth = 4;

std::string openssl_reason() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return "not valid PEM";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

[[noreturn]] void refuse(const std::string &file, const std::string &why) {
    throw std::runtime_error(file + ": " + why);
}

struct FileCloser {
    void operator()(std::FILE *file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open_pem(const std::string &path) {
    File file(std::fopen(path.c_str(), "rb"));
    if (!file) refuse(path, "cannot be read");
    return file;
}

// Every certificate in a PEM file, in order; at least one.
STACK_OF(X509) *read_certificates(const std::string &path) {
    File file = open_pem(path);
    STACK_OF(X509) *certs = sk_X509_new_null();
    while (X509 *cert = PEM_read_X509(file.get(), nullptr, nullptr, nullptr)) sk_X509_push(certs, cert);
    const unsigned long last = ERR_peek_last_error();
    if (ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE) ERR_clear_error();
    if (sk_X509_num(certs) == 0 || ERR_peek_error() != 0) {
        const std::string why = sk_X509_num(certs) == 0 ? "holds no PEM certificate" : openssl_reason();
        sk_X509_pop_free(certs, X509_free);
        refuse(path, why);
    }
    return certs;
}

std::string name_of(X509 *cert) {
    char cn[256] = {};
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn) > 0) return cn;
    return "(no common name)";
}

std::string not_after(X509 *cert) {
    BIO *bio = BIO_new(BIO_s_mem());
    ASN1_TIME_print(bio, X509_get0_notAfter(cert));
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string text(data, static_cast<size_t>(n));
    BIO_free(bio);
    return text;
}

}  // namespace

std::shared_ptr<const ServerIdentity> ServerIdentity::load(const std::string &cert_file, const std::string &key_file,
                                                           const std::string &client_ca_file) {
    std::shared_ptr<ServerIdentity> identity(new ServerIdentity());
    STACK_OF(X509) *certs = read_certificates(cert_file);
    identity->cert_ = sk_X509_shift(certs);
    identity->chain_ = certs;
    if (X509_cmp_current_time(X509_get0_notAfter(identity->cert_)) < 0)
        refuse(cert_file, "the certificate expired on " + not_after(identity->cert_));

    File key = open_pem(key_file);
    identity->key_ = PEM_read_PrivateKey(key.get(), nullptr, nullptr, nullptr);
    if (!identity->key_) refuse(key_file, "holds no PEM private key (" + openssl_reason() + ")");
    if (X509_check_private_key(identity->cert_, identity->key_) != 1) {
        ERR_clear_error();
        refuse(key_file, "the private key does not belong to the certificate in " + cert_file);
    }
    identity->description_ = "certificate CN=" + name_of(identity->cert_) + ", valid until " + not_after(identity->cert_);

    if (!client_ca_file.empty()) {
        STACK_OF(X509) *cas = read_certificates(client_ca_file);
        identity->client_ca_ = X509_STORE_new();
        identity->client_ca_names_ = sk_X509_NAME_new_null();
        for (int i = 0; i < sk_X509_num(cas); ++i) {
            X509 *ca = sk_X509_value(cas, i);
            X509_STORE_add_cert(identity->client_ca_, ca);
            sk_X509_NAME_push(identity->client_ca_names_, X509_NAME_dup(X509_get_subject_name(ca)));
        }
        sk_X509_pop_free(cas, X509_free);
        identity->description_ += ", client certificates required (" + client_ca_file + ")";
    }
    return identity;
}

ServerIdentity::~ServerIdentity() {
    X509_free(cert_);
    sk_X509_pop_free(chain_, X509_free);
    EVP_PKEY_free(key_);
    X509_STORE_free(client_ca_);
    sk_X509_NAME_pop_free(client_ca_names_, X509_NAME_free);
}

bool ServerIdentity::apply(SSL *ssl) const {
    if (SSL_use_cert_and_key(ssl, cert_, key_, chain_, 1) != 1) return false;
    if (!client_ca_) {
        SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
        return true;
    }
    SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    SSL_set_verify_depth(ssl, kClientChainDepth);
    if (SSL_set1_verify_cert_store(ssl, client_ca_) != 1) return false;
    STACK_OF(X509_NAME) *names = sk_X509_NAME_deep_copy(client_ca_names_, X509_NAME_dup, X509_NAME_free);
    SSL_set_client_CA_list(ssl, names);
    return true;
}

}  // namespace vep::host
