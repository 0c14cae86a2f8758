// See tls_listener.hpp.
#include "http/server_tls_context.hpp"

#include <openssl/ssl.h>

#include <Poco/Net/SSLManager.h>

namespace vep::host {
namespace {

// TLS 1.2 suites with forward secrecy and AEAD (TLS 1.3 suites are OpenSSL's defaults, all AEAD).
constexpr const char *kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr unsigned char kSessionContext[] = "venice-e2ee-proxy";

// OpenSSL's certificate callback, during each handshake: no identity, no handshake.
int install_identity(SSL *ssl, void *arg) {
    const auto generation = static_cast<const GenerationHolder *>(arg)->current();
    const auto identity = generation ? generation->server_identity() : nullptr;
    return identity && identity->apply(ssl) ? 1 : 0;
}

}  // namespace

Poco::Net::Context::Ptr make_server_tls_context(const GenerationHolder &generations) {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // per connection, by the identity
    params.loadDefaultCAs = false;
    params.cipherList = kTls12Ciphers;
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    SSL_CTX *ctx = context->sslContext();
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
    SSL_CTX_set_cert_cb(ctx, install_identity, const_cast<GenerationHolder *>(&generations));
    return context;
}

}  // namespace vep::host
