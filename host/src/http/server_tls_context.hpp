// TLS for the client listener: the server Context (TLS 1.2 and 1.3, forward-secret AEAD cipher
// suites, no renegotiation, writes that may be partial and retried from a moved buffer — the
// relay writes without blocking) and the listening socket made from it. The certificate is not in
// the Context: a callback installs the current generation's ServerIdentity on every handshake, so
// a reload that re-read the files serves the new certificate to new connections while open ones
// keep theirs. Used by ProxyServer when server.tls_cert is set.
#pragma once

#include <Poco/Net/Context.h>

#include "runtime/generation_holder.hpp"

namespace vep::host {

// The server Context whose handshakes take their identity from `generations` (which must outlive it).
Poco::Net::Context::Ptr make_server_tls_context(const GenerationHolder &generations);

}  // namespace vep::host
