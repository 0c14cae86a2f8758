// build_encrypted_request(): the upstream chat body of one attempt — the rendered messages with
// the tool controller prompt (and, on a retry, the correction prompt) appended to the first
// system message (or a new system message at index 0, seed-behaviour §8.3), every content
// encrypted to the attested model key (one ephemeral key per field, or per request with
// e2ee.ephemeral_key_per = "request"), then the §4.3 body. Called by the encrypt stage for the
// first attempt and by the tool retry loop for each further attempt.
#pragma once

#include <string>
#include <string_view>

namespace vep::host {

class Exchange;

// `correction` is empty on the first attempt. Throws ProxyError e2ee_request_encryption_failed.
std::string build_encrypted_request(const Exchange &exchange, std::string_view correction);

}  // namespace vep::host
